import { isIP } from 'node:net';
import type { TEnv } from '../../env.js';
import { AppError } from '../../errors.js';
import { isPublicAddress } from './target-address.js';

/** What the deployment allows webhook URLs to be (§7). */
export interface WebhookTargetPolicy {
  /** Plain `http` URLs: only in development or when private targets are allowed (local receivers). */
  allowHttp: boolean;
  /** Private, loopback and link-local targets: only when `WEBHOOK_ALLOW_PRIVATE=true` (tests). */
  allowPrivate: boolean;
}

export function webhookTargetPolicy(
  env: Pick<TEnv, 'NODE_ENV' | 'WEBHOOK_ALLOW_PRIVATE'>,
): WebhookTargetPolicy {
  return {
    allowHttp: env.NODE_ENV === 'development' || env.WEBHOOK_ALLOW_PRIVATE,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
  };
}

/** The host of a URL without IPv6 brackets or a trailing root dot. */
export function bareHostname(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Names that resolve to loopback by definition (RFC 6761), whatever DNS says. */
function isLoopbackName(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === 'localhost' || lower.endsWith('.localhost');
}

function refuse(message: string): never {
  throw AppError.field('BAD_REQUEST', 'url', message);
}

/**
 * Checks a webhook URL when it is saved and returns its normalised form (without fragment).
 * Literal addresses are judged here; host names are resolved and judged again at every
 * delivery (see `webhook-sender.ts`), because DNS may change after this check.
 */
export function validateWebhookUrl(raw: string, policy: WebhookTargetPolicy): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    refuse('Enter a full URL, e.g. https://example.com/webhooks/keysmith');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('Webhook URLs must use https');
  if (url.protocol === 'http:' && !policy.allowHttp) refuse('Webhook URLs must use https');
  if (url.username || url.password) {
    refuse('Credentials in the URL are not allowed: verify the signature header instead');
  }
  const host = bareHostname(url);
  if (!policy.allowPrivate) {
    if (isIP(host) !== 0 && !isPublicAddress(host)) {
      refuse('Private, loopback, link-local and other non-public addresses are not allowed');
    }
    if (isLoopbackName(host)) refuse('localhost is not allowed: webhooks must reach a public address');
  }
  url.hash = '';
  return url.toString();
}
