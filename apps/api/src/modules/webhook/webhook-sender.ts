import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './target-address.js';
import { bareHostname } from './webhook-url.js';

/** Resolves a host name to all its addresses (injectable so tests can fake DNS). */
export type TResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const resolveWithSystemDns: TResolveHost = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface SendOptions {
  timeoutMs: number;
  /** Deliver to private, loopback and link-local addresses (tests' local receivers). */
  allowPrivate: boolean;
  resolve?: TResolveHost;
}

export interface SendResult {
  ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  statusCode: number | null;
  /** Why the attempt failed: the status and the start of the answer, or the network error. */
  error: string | null;
}

const MAX_RESPONSE_BYTES = 1024;
const MAX_ERROR_LENGTH = 1000;

/** A single line of printable text, at most `max` characters: safe to store and show in the admin. */
export function oneLine(text: string, max = MAX_ERROR_LENGTH): string {
  const clean = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

class DeliveryRefused extends Error {}

/**
 * The address to connect to: the URL's literal address, or the host name resolved now.
 * Every resolved address must be public (unless allowed), and the connection then goes to
 * the address that was checked: DNS is not asked again, so a name that changes its answer
 * between the check and the connection (DNS rebinding) cannot reach an internal address.
 */
async function pinnedAddress(url: URL, options: SendOptions): Promise<{ address: string; family: number }> {
  const host = bareHostname(url);
  const literal = isIP(host);
  const addresses =
    literal !== 0
      ? [{ address: host, family: literal }]
      : await (options.resolve ?? resolveWithSystemDns)(host);
  const first = addresses[0];
  if (!first) throw new DeliveryRefused(`${host} did not resolve to any address`);
  if (!options.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      throw new DeliveryRefused(
        `refused: ${host} resolves to ${refused.address}, which is not a public address`,
      );
    }
  }
  return first;
}

/** A `lookup` for `http.request` that always answers the pinned address, in both callback shapes. */
function fixedLookup(pinned: { address: string; family: number }): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

function post(
  url: URL,
  request: WebhookRequest,
  pinned: { address: string; family: number },
  timeoutMs: number,
  /** The configured limit, named in the error (the wait itself is what is left of it). */
  limitMs: number = timeoutMs,
): Promise<SendResult> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = transport.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Length': Buffer.byteLength(request.body).toString() },
      // One connection per attempt: a pooled socket could belong to another pinned address.
      agent: false,
      lookup: fixedLookup(pinned),
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, statusCode: null, error: `timed out after ${limitMs} ms` });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
      finish({ ok: false, statusCode: null, error: oneLine(message) });
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (status >= 200 && status < 300) finish({ ok: true, statusCode: status, error: null });
        else if (status >= 300 && status < 400) {
          const location = res.headers.location ? ` to ${res.headers.location}` : '';
          finish({
            ok: false,
            statusCode: status,
            error: oneLine(`HTTP ${status}: redirect${location} not followed`),
          });
        } else
          finish({
            ok: false,
            statusCode: status,
            error: oneLine(`HTTP ${status}${text ? `: ${text}` : ''}`),
          });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
        size += chunk.length;
        // Only the start of the answer is kept; nothing more is read from a chatty receiver.
        if (size >= MAX_RESPONSE_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(request.body);
  });
}

/**
 * One delivery attempt: POST the body to the URL within `timeoutMs` (name resolution,
 * connection and answer together). Redirects are never followed: a 3xx is a failure, since
 * following it could lead anywhere, including inside the network. Never throws.
 */
export async function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<SendResult> {
  const url = new URL(request.url);
  const started = Date.now();
  let pinned: { address: string; family: number };
  try {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`name resolution timed out after ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    try {
      pinned = await Promise.race([pinnedAddress(url, options), deadline]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const message =
      error instanceof DeliveryRefused
        ? e.message
        : `DNS lookup of ${url.hostname} failed: ${e.code ?? e.message}`;
    return { ok: false, statusCode: null, error: oneLine(message) };
  }
  return post(
    url,
    request,
    pinned,
    Math.max(1, options.timeoutMs - (Date.now() - started)),
    options.timeoutMs,
  );
}
