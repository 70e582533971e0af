/**
 * Codes a {@link KeysmithError} may carry beyond the API's own (`VALIDATION`, `NOT_FOUND`, the
 * §3 codes …): no answer arrived in time, no answer arrived at all, or the answer was not the
 * JSON the API sends.
 */
export type KeysmithClientErrorCode = 'TIMEOUT' | 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

/** What {@link KeysmithError} is built from. */
export interface KeysmithErrorInit {
  message: string;
  status: number;
  code: string;
  requestId?: string | null | undefined;
  fields?: Readonly<Record<string, string>> | null | undefined;
  cause?: unknown;
}

/**
 * Every failed call of the client: an error answer of the API (`status` is its HTTP status,
 * `code`, `requestId` and `fields` come from its `{error, code, request_id, fields}` body) or a
 * call that got no usable answer (`status` 0 with `TIMEOUT` or `NETWORK_ERROR`, or the
 * answer's status with `UNEXPECTED_RESPONSE`). Quote `requestId` when you report a problem.
 */
export class KeysmithError extends Error {
  override readonly name = 'KeysmithError';
  /** HTTP status of the answer; 0 when none arrived. */
  readonly status: number;
  /** The API's error code (`VALIDATION`, `NOT_FOUND`, `CONFLICT`, `FORBIDDEN` …) or a client code. */
  readonly code: string;
  /** `request_id` of the error answer, when there was one. */
  readonly requestId: string | null;
  /** For `VALIDATION`: field (snake_case, dotted) → message. Otherwise null. */
  readonly fields: Readonly<Record<string, string>> | null;

  constructor(init: KeysmithErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.fields = init.fields ?? null;
  }

  /**
   * Whether Keysmith could not answer (timeout, network error, 5xx or an answer that is not
   * the API's): the case the middleware fails closed on, or open when asked to. A 4xx is a
   * definite answer and never unavailability.
   */
  get unavailable(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'UNEXPECTED_RESPONSE';
  }
}
