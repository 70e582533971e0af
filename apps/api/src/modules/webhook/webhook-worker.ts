import type { Logger } from 'pino';
import type { Em, Orm } from '../../db/orm.js';
import { pgTextArray } from '../../db/sql.js';
import type { TStoredEventType } from '../event/event.entity.js';
import type { SecretBox } from './secret-box.js';
import { secretContext } from './webhook.service.js';
import { retryDelayMs } from './webhook-retry.js';
import { oneLine, type SendResult, sendWebhook, type TResolveHost } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';

export interface WebhookWorkerOptions {
  /** How often due deliveries are looked for. */
  periodMs: number;
  /** Limit for one attempt: name resolution, connection and answer. */
  timeoutMs: number;
  /** Multiplies the retry schedule (1 in production; tests shrink it). */
  backoffScale: number;
  /** Deliveries sent at once by this process. */
  concurrency: number;
  allowPrivate: boolean;
  resolve?: TResolveHost;
  random?: () => number;
}

/** A claimed attempt: the delivery row after `attempts` was bumped for it. */
interface ClaimedRow {
  id: string;
  attempts: number;
  event_id: string;
  endpoint_id: string;
}

interface EventRow {
  id: string;
  organization_id: string;
  type: TStoredEventType;
  payload: Record<string, unknown> | string;
  created_at: Date | string;
}

interface EndpointRow {
  id: string;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | string | null;
}

export const USER_AGENT = 'Keysmith-Webhooks/1';

/**
 * The JSON body of a delivery: `{id, type, created_at, organization_id, data}`, where `data`
 * is the event's payload. Built from the stored event, so every attempt sends the same bytes.
 */
export function deliveryBody(event: EventRow): string {
  const payload = typeof event.payload === 'string' ? (JSON.parse(event.payload) as unknown) : event.payload;
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: new Date(event.created_at).toISOString(),
    organization_id: event.organization_id,
    data: payload,
  });
}

/**
 * Claims up to `limit` due deliveries for this process. One statement: the due rows are
 * locked with `for update skip locked` (rows another process is claiming are skipped, not
 * waited for), their `attempts` is bumped and `next_attempt_at` pushed past the attempt's
 * time limit, a lease. Until the lease ends no other process sees the row as due, so two
 * processes never send the same attempt; if this one dies mid-send, the lease runs out and
 * the attempt is retried elsewhere, counted.
 */
export async function claimDueDeliveries(
  em: Em,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<ClaimedRow[]> {
  return em.execute<ClaimedRow[]>(
    `with due as (
       select d.id from webhook_deliveries d
         join webhook_endpoints w on w.id = d.endpoint_id and w.active
        where d.status = 'pending' and d.next_attempt_at <= ?
        order by d.next_attempt_at
        limit ?
        for update of d skip locked
     )
     update webhook_deliveries d
        set attempts = d.attempts + 1, last_attempt_at = ?, next_attempt_at = ?
       from due where d.id = due.id
     returning d.id, d.attempts, d.event_id, d.endpoint_id`,
    [now, limit, now, new Date(now.getTime() + leaseMs)],
  );
}

/**
 * Records the outcome of an attempt, only if the row still holds this attempt (`attempts`
 * acts as a fencing token): a process whose lease ran out cannot overwrite a later attempt.
 */
async function recordOutcome(
  em: Em,
  claimed: ClaimedRow,
  result: SendResult,
  options: WebhookWorkerOptions,
): Promise<void> {
  const now = new Date();
  const fence = 'where id = ? and attempts = ? and status = ?';
  if (result.ok) {
    await em.execute(
      `update webhook_deliveries set status = 'delivered', delivered_at = ?, last_status_code = ?, last_error = null ${fence}`,
      [now, result.statusCode, claimed.id, claimed.attempts, 'pending'],
    );
    return;
  }
  const delay = retryDelayMs(claimed.attempts, options.backoffScale, options.random);
  const error = oneLine(result.error ?? 'failed', 1000);
  if (delay === null) {
    await em.execute(
      `update webhook_deliveries set status = 'failed', last_status_code = ?, last_error = ? ${fence}`,
      [result.statusCode, error, claimed.id, claimed.attempts, 'pending'],
    );
    return;
  }
  await em.execute(
    `update webhook_deliveries set next_attempt_at = ?, last_status_code = ?, last_error = ? ${fence}`,
    [new Date(now.getTime() + delay), result.statusCode, error, claimed.id, claimed.attempts, 'pending'],
  );
}

/** The secrets to sign with: the current one, and a rotated-out one while its overlap lasts. */
function signingSecrets(endpoint: EndpointRow, secrets: SecretBox, now: Date): string[] {
  const context = secretContext(endpoint.id);
  const current = secrets.open(endpoint.secret_ciphertext, context);
  const overlapEnds = endpoint.previous_secret_expires_at
    ? new Date(endpoint.previous_secret_expires_at)
    : null;
  if (endpoint.previous_secret_ciphertext && overlapEnds && overlapEnds > now) {
    try {
      return [current, secrets.open(endpoint.previous_secret_ciphertext, context)];
    } catch {
      // Sealed under an earlier ENCRYPTION_KEY: the new secret alone still signs.
    }
  }
  return [current];
}

export interface WebhookWorker {
  /** Claims and sends what is due now and waits for those sends (tests; the loop calls it too). */
  runOnce: () => Promise<number>;
  /** Stops claiming and waits for the attempts in flight to finish and be recorded. */
  stop: () => Promise<void>;
}

/**
 * The delivery worker (§7): every `periodMs` it claims due deliveries (up to its free
 * concurrency) and sends them, each signed, within the time limit, without following
 * redirects. 2xx marks a delivery delivered; anything else schedules the next attempt on the
 * retry schedule (`webhook-retry.ts`) or, after the last, marks it failed. Safe to run in
 * every API process at once.
 */
export function startWebhookWorker(
  orm: Orm,
  secrets: SecretBox,
  log: Logger,
  options: WebhookWorkerOptions,
): WebhookWorker {
  const inFlight = new Set<Promise<void>>();
  let claiming: Promise<number> | null = null;
  let stopped = false;
  const leaseMs = options.timeoutMs + 60_000;

  const attempt = async (
    claimed: ClaimedRow,
    event: EventRow | undefined,
    endpoint: EndpointRow | undefined,
  ) => {
    let result: SendResult;
    if (!event || !endpoint) {
      result = { ok: false, statusCode: null, error: 'event or endpoint no longer exists' };
    } else {
      try {
        const body = deliveryBody(event);
        const now = new Date();
        result = await sendWebhook(
          {
            url: endpoint.url,
            body,
            headers: {
              'Content-Type': 'application/json',
              'User-Agent': USER_AGENT,
              'Keysmith-Event-Id': event.id,
              'Keysmith-Event-Type': event.type,
              'Keysmith-Delivery-Id': claimed.id,
              'Keysmith-Signature': signatureHeader(
                signingSecrets(endpoint, secrets, now),
                body,
                Math.floor(now.getTime() / 1000),
              ),
            },
          },
          {
            timeoutMs: options.timeoutMs,
            allowPrivate: options.allowPrivate,
            ...(options.resolve ? { resolve: options.resolve } : {}),
          },
        );
      } catch (error) {
        // Only local failures land here (e.g. a secret sealed under another ENCRYPTION_KEY).
        log.error({ err: error, deliveryId: claimed.id }, 'webhook delivery could not be prepared');
        result = { ok: false, statusCode: null, error: `not sent: ${(error as Error).message}` };
      }
    }
    try {
      await recordOutcome(orm.em.fork(), claimed, result, options);
    } catch (error) {
      log.error({ err: error, deliveryId: claimed.id }, 'webhook delivery outcome not recorded');
    }
  };

  const claimAndSend = async (): Promise<number> => {
    const free = options.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const em = orm.em.fork();
    const claimed = await claimDueDeliveries(em, free, new Date(), leaseMs);
    if (claimed.length === 0) return 0;
    const events = await em.execute<EventRow[]>(
      'select id, organization_id, type, payload, created_at from events where id = any(?::text[])',
      [pgTextArray([...new Set(claimed.map((c) => c.event_id))])],
    );
    const endpoints = await em.execute<EndpointRow[]>(
      `select id, url, secret_ciphertext, previous_secret_ciphertext, previous_secret_expires_at
         from webhook_endpoints where id = any(?::text[])`,
      [pgTextArray([...new Set(claimed.map((c) => c.endpoint_id))])],
    );
    for (const row of claimed) {
      const send = attempt(
        row,
        events.find((e) => e.id === row.event_id),
        endpoints.find((e) => e.id === row.endpoint_id),
      ).finally(() => inFlight.delete(send));
      inFlight.add(send);
    }
    return claimed.length;
  };

  const tick = async (): Promise<number> => {
    if (stopped || claiming) return 0;
    claiming = claimAndSend()
      .catch((error: unknown) => {
        log.error({ err: error }, 'webhook worker could not claim deliveries');
        return 0;
      })
      .finally(() => {
        claiming = null;
      });
    return claiming;
  };

  const timer = setInterval(() => void tick(), options.periodMs);
  timer.unref();
  void tick();

  return {
    runOnce: async () => {
      await claiming;
      const claimed = await tick();
      await Promise.allSettled([...inFlight]);
      return claimed;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await claiming;
      await Promise.allSettled([...inFlight]);
    },
  };
}
