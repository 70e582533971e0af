/**
 * Turns whatever a tRPC call threw into what a screen shows: a sentence for an alert, the
 * messages that belong under named fields, and how long to wait after a 429. Reads the
 * server's error formatter shape (`data.fields`, `data.retryAfterSeconds`) defensively, so a
 * proxy's HTML error page or a dropped connection still produces a readable message.
 */

export interface DescribedError {
  /** A sentence for an inline alert or a toast. */
  message: string;
  /** Messages keyed by input field name (`email`, `slug` ...), to show under that field. */
  fields: Record<string, string>;
  /** tRPC error code such as `UNAUTHORIZED`, when the server answered. */
  code: string | null;
  retryAfterSeconds: number | null;
}

const NETWORK_MESSAGE = "Can't reach Keysmith. Check your connection and try again.";
const FALLBACK_MESSAGE = 'Something went wrong. Please try again.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function dataOf(error: unknown): Record<string, unknown> | null {
  if (!isRecord(error)) return null;
  return isRecord(error.data) ? error.data : null;
}

/** The tRPC error code (`UNAUTHORIZED`, `CONFLICT` ...) of a failed call, or `null`. */
export function errorCodeOf(error: unknown): string | null {
  const code = dataOf(error)?.code;
  return typeof code === 'string' ? code : null;
}

/** Field messages from `error.data.fields`, keeping only string values. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields = dataOf(error)?.fields;
  const result: Record<string, string> = {};
  if (!isRecord(fields)) return result;
  for (const [name, message] of Object.entries(fields)) {
    if (typeof message === 'string') result[name] = message;
  }
  return result;
}

/** "30 seconds", "1 minute", "3 minutes": rounded up, so the user never retries too early. */
export function formatWait(seconds: number): string {
  if (seconds < 60) {
    const s = Math.max(1, Math.ceil(seconds));
    return `${s} second${s === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function looksLikeNetworkFailure(message: string): boolean {
  return /failed to fetch|networkerror|load failed|network request failed|unexpected token </i.test(message);
}

export function describeError(error: unknown): DescribedError {
  const data = dataOf(error);
  const code = errorCodeOf(error);
  const fields = fieldErrorsOf(error);
  const retry = data?.retryAfterSeconds;
  const retryAfterSeconds = typeof retry === 'number' && retry > 0 ? retry : null;

  let message = isRecord(error) && typeof error.message === 'string' ? error.message : '';
  if (!data && looksLikeNetworkFailure(message)) message = NETWORK_MESSAGE;
  if (!message) message = FALLBACK_MESSAGE;
  if (retryAfterSeconds !== null && code === 'TOO_MANY_REQUESTS') {
    message = `${message.replace(/\s*Try again in a few minutes\.?$/, '')} Try again in ${formatWait(retryAfterSeconds)}.`;
  }
  return { message, fields, code, retryAfterSeconds };
}
