import { parseApiKey } from '@keysmith/domain';
import { KeysmithError } from './errors.js';
import {
  type ApiKey,
  type ApiKeyPage,
  type ApiKeyWithUsage,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  type ListApiKeyLogsQuery,
  type ListApiKeysQuery,
  OPERATIONS,
  type OperationId,
  type OperationTypes,
  type RateLimitStatus,
  type RequestLog,
  type RequestLogPage,
  type RollApiKeyRequest,
  type UpdateApiKeyRequest,
  type VerifyKeyRequest,
  type VerifyKeyResult,
} from './generated/openapi.js';
import { PageRequest } from './pagination.js';

/** Default time a call may take, answer body included, before it fails with `TIMEOUT`. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** What `new Keysmith(…)` needs. */
export interface KeysmithOptions {
  /** Your Keysmith's origin, e.g. `https://keysmith.example.com` (a trailing `/v1` is accepted). */
  baseUrl: string;
  /**
   * The key the client calls with: `keys:verify` to verify consumers' keys, `keys:read`,
   * `keys:write`, `keys:delete` to manage keys, or `admin:*` for everything.
   */
  rootKey: string;
  /** Per-call limit in milliseconds, answer body included. Default 5000. */
  timeoutMs?: number | undefined;
  /** The `fetch` to call with (default: the runtime's global `fetch`). */
  fetch?: typeof fetch | undefined;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
  /** Aborts the call (the promise rejects with the signal's reason). */
  signal?: AbortSignal | undefined;
}

interface CallInput {
  params?: Readonly<Record<string, string>> | undefined;
  query?: object | undefined;
  body?: unknown;
  options?: CallOptions | undefined;
}

/**
 * The operations this client wraps, by method name. `test/client-routes.test.ts` checks that
 * together with the deliberately unwrapped public paths they are exactly the paths of the
 * OpenAPI document, so a new `/v1` route fails the test until the client covers it.
 */
export const CLIENT_OPERATIONS = {
  'keys.verify': 'verifyKey',
  'apiKeys.create': 'createApiKey',
  'apiKeys.list': 'listApiKeys',
  'apiKeys.get': 'getApiKey',
  'apiKeys.update': 'updateApiKey',
  'apiKeys.roll': 'rollApiKey',
  'apiKeys.revoke': 'revokeApiKey',
  'apiKeys.logs': 'listApiKeyLogs',
  rateLimit: 'getRateLimit',
} as const satisfies Record<string, OperationId>;

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('Keysmith: baseUrl must be an absolute URL such as https://keysmith.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('Keysmith: baseUrl must be an http(s) URL');
  }
  return url.href.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function queryString(query: object | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function isErrorBody(value: unknown): value is { error: string; code: string; request_id?: string } {
  if (value === null || typeof value !== 'object') return false;
  const body = value as Record<string, unknown>;
  return typeof body.error === 'string' && typeof body.code === 'string';
}

/** The signal a call runs under: its timeout, and the caller's own signal when given. */
function callSignal(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  if (!signal) return timeout;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([timeout, signal]);
  // Runtimes before AbortSignal.any (Node 20.0–20.2): forward the caller's abort by hand.
  const controller = new AbortController();
  const forward = (source: AbortSignal) => () => controller.abort(source.reason);
  timeout.addEventListener('abort', forward(timeout), { once: true });
  signal.addEventListener('abort', forward(signal), { once: true });
  return controller.signal;
}

/**
 * The typed client of Keysmith's `/v1` API (SPEC §5, §9). Request and answer types are
 * generated from the API's OpenAPI document (`src/generated/openapi.ts`), so they match
 * what the server validates and sends. Every failure is a {@link KeysmithError}.
 *
 * Uses only `fetch`, `URL`, `AbortSignal` and Web Crypto (through `@keysmith/domain`): it runs
 * on Node ≥ 20, Bun, Deno, Cloudflare Workers and Vercel's edge runtime. The runtime's `fetch`
 * keeps connections alive (Node's undici pool does by default), so a busy verifier reuses
 * its sockets.
 *
 * @example
 * const keysmith = new Keysmith({ baseUrl: 'https://keysmith.example.com', rootKey: process.env.KEYSMITH_ROOT_KEY });
 * const result = await keysmith.keys.verify({ key, scopes: ['tasks:read'] });
 * if (!result.valid) console.log(result.code);
 */
export class Keysmith {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #rootKey: string;
  readonly #fetch: typeof fetch;

  constructor(options: KeysmithOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    // Checked here so a misconfigured deployment fails at start, not on every request. The
    // message never echoes the value: it is a secret.
    if (typeof options.rootKey !== 'string' || !parseApiKey(options.rootKey.trim()).ok) {
      throw new TypeError('Keysmith: rootKey is not a Keysmith API key (sk_live_… with a valid checksum)');
    }
    this.#rootKey = options.rootKey.trim();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError('Keysmith: timeoutMs must be a positive number of milliseconds');
    }
    this.timeoutMs = timeoutMs;
    // Bound to globalThis: some runtimes refuse a `fetch` called as a method of another object.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Verifying your consumers' keys. */
  readonly keys = {
    /**
     * `POST /v1/keys/verify`: checks a key one of your consumers presented, with the scopes
     * the route needs, its `cost` in credits, the consumer's `ip` and the `endpoint` called.
     * Resolves with the decision whether the key is valid or not (`valid`, `code`); rejects
     * only when the call itself fails (the client's key, input, or Keysmith unreachable).
     */
    verify: (body: VerifyKeyRequest, options?: CallOptions): Promise<VerifyKeyResult> =>
      this.call('verifyKey', { body, options }),
  };

  /** Managing keys (needs `keys:read`, `keys:write` or `keys:delete`). */
  readonly apiKeys = {
    /** `POST /v1/api-keys`: issues a key. The answer's `key` is the full key, shown only here. */
    create: (body: CreateApiKeyRequest, options?: CallOptions): Promise<CreatedApiKey> =>
      this.call('createApiKey', { body, options }),

    /**
     * `GET /v1/api-keys`: `await` it for one page (`{data, page, per_page, total}`), or
     * `for await (const key of keysmith.apiKeys.list(query))` for every key across pages.
     */
    list: (query: ListApiKeysQuery = {}, options?: CallOptions): PageRequest<ApiKeyPage, ApiKey> =>
      new PageRequest<ApiKeyPage, ApiKey>(
        () => this.call('listApiKeys', { query, options }),
        (page) =>
          page.data.length > 0 && page.page * page.per_page < page.total
            ? this.call('listApiKeys', { query: { ...query, page: page.page + 1 }, options })
            : null,
        (page) => page.data,
      ),

    /** `GET /v1/api-keys/{id}`: the record plus its usage per window. */
    get: (id: string, options?: CallOptions): Promise<ApiKeyWithUsage> =>
      this.call('getApiKey', { params: { id }, options }),

    /** `PATCH /v1/api-keys/{id}`: changes the fields named; `active: false` deactivates. */
    update: (id: string, body: UpdateApiKeyRequest, options?: CallOptions): Promise<ApiKey> =>
      this.call('updateApiKey', { params: { id }, body, options }),

    /**
     * `POST /v1/api-keys/{id}/roll`: issues the replacement (its full `key` shown only here);
     * the old key keeps working for `grace_period_seconds` (default 24 h).
     */
    roll: (id: string, body: RollApiKeyRequest = {}, options?: CallOptions): Promise<CreatedApiKey> =>
      this.call('rollApiKey', { params: { id }, body, options }),

    /** `DELETE /v1/api-keys/{id}`: revokes the key, permanently. */
    revoke: (id: string, options?: CallOptions): Promise<ApiKey> =>
      this.call('revokeApiKey', { params: { id }, options }),

    /**
     * `GET /v1/api-keys/{id}/logs`: `await` it for the newest page (`{data, next_cursor}`), or
     * `for await (const log of keysmith.apiKeys.logs(id))` for every request log, newest first.
     */
    logs: (
      id: string,
      query: ListApiKeyLogsQuery = {},
      options?: CallOptions,
    ): PageRequest<RequestLogPage, RequestLog> =>
      new PageRequest<RequestLogPage, RequestLog>(
        () => this.call('listApiKeyLogs', { params: { id }, query, options }),
        (page) =>
          page.next_cursor === null
            ? null
            : this.call('listApiKeyLogs', {
                params: { id },
                query: { ...query, cursor: page.next_cursor },
                options,
              }),
        (page) => page.data,
      ),
  };

  /** `GET /v1/rate-limit`: the calling key's per-minute limit after this call (it counts as one). */
  rateLimit(options?: CallOptions): Promise<RateLimitStatus> {
    return this.call('getRateLimit', { options });
  }

  /** Calls one operation of the generated table and returns its typed answer. */
  private async call<Id extends OperationId>(
    id: Id,
    input: CallInput,
  ): Promise<OperationTypes[Id]['response']> {
    const operation = OPERATIONS[id];
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = input.params?.[name];
      if (typeof value !== 'string' || value === '') throw new TypeError(`Keysmith: ${name} is required`);
      return encodeURIComponent(value);
    });
    const url = `${this.baseUrl}${path}${queryString(input.query)}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#rootKey}`,
      accept: 'application/json',
    };
    const hasBody = input.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    const timeoutMs = input.options?.timeoutMs ?? this.timeoutMs;
    const signal = callSignal(timeoutMs, input.options?.signal);

    let status = 0;
    let text: string;
    try {
      const response = await this.#fetch(url, {
        method: operation.method,
        headers,
        ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (input.options?.signal?.aborted) throw input.options.signal.reason;
      const timedOut = signal.aborted;
      throw new KeysmithError({
        message: timedOut
          ? `Keysmith did not answer ${operation.method} ${operation.path} within ${timeoutMs} ms`
          : `Could not reach Keysmith at ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
        status: 0,
        code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        cause: error,
      });
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status === operation.status && body !== null && typeof body === 'object') {
      return body as OperationTypes[Id]['response'];
    }
    if (status >= 400 && isErrorBody(body)) {
      const errorBody = body as { fields?: unknown };
      throw new KeysmithError({
        message: body.error,
        status,
        code: body.code,
        requestId: typeof body.request_id === 'string' ? body.request_id : null,
        fields:
          errorBody.fields !== null && typeof errorBody.fields === 'object'
            ? (errorBody.fields as Record<string, string>)
            : null,
      });
    }
    throw new KeysmithError({
      message: `Unexpected answer from Keysmith to ${operation.method} ${operation.path}: HTTP ${status}`,
      status,
      code: 'UNEXPECTED_RESPONSE',
    });
  }
}
