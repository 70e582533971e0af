import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TEnv } from '../env.js';
import { InProcessKeyChanges, type KeyChangePublisher } from '../modules/api-key/key-changes.js';

/** The wire format on the channel: one JSON object per change. */
interface ChangeMessage {
  /** The publishing process (its own messages are ignored: it delivered them already). */
  s: string;
  /** `key`: one key; `org`: every key of an organization; `all`: every cached key (resync). */
  kind: 'key' | 'org' | 'all';
  o?: string;
  k?: string;
}

const OUTBOX_LIMIT = 10_000;

export interface RedisKeyChangesOptions {
  channel: string;
  log: Logger;
  /** Called when changes may have been missed (reconnect, lost messages): drop every cached key. */
  onResync: () => void;
}

/**
 * Key changes fanned out to every API process over Redis pub/sub (§8: a revocation is seen
 * everywhere within a second). `publish` delivers to this process's listeners synchronously,
 * then PUBLISHes; every process SUBSCRIBEs on its own connection and delivers what others sent.
 *
 * Nothing is silently lost: a PUBLISH that fails waits in an outbox until the connection is back
 * (overflowing it announces `all`), and a subscriber that reconnects drops its whole cache,
 * since it may have missed messages meanwhile. While Redis is unreachable, other processes see a
 * change when their cached copy expires (KEY_CACHE_TTL_SECONDS) or when Redis is back, whichever
 * comes first.
 */
export class RedisKeyChanges extends InProcessKeyChanges {
  readonly source = randomBytes(6).toString('hex');
  private outbox: ChangeMessage[] = [];
  private overflowed = false;
  private closed = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisKeyChangesOptions,
  ) {
    super();
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === options.channel) this.receive(raw);
    });
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (!connectedBefore) {
        connectedBefore = true;
        return;
      }
      // Reconnected: resubscribe explicitly, then drop everything cached (messages may be lost).
      void subscriber
        .subscribe(options.channel)
        .then(() => options.onResync())
        .catch((error: unknown) => options.log.warn({ err: error }, 'key-change resubscribe failed'));
    });
    publisher.on('ready', () => void this.drainOutbox());
  }

  /** Subscribes; resolves once the subscription is confirmed (or rejects). */
  async start(): Promise<void> {
    await this.subscriber.subscribe(this.options.channel);
  }

  override publish(organizationId: string, keyId: string): void {
    super.publish(organizationId, keyId);
    this.broadcast({ s: this.source, kind: 'key', o: organizationId, k: keyId });
  }

  override publishOrganization(organizationId: string): void {
    super.publishOrganization(organizationId);
    this.broadcast({ s: this.source, kind: 'org', o: organizationId });
  }

  private receive(raw: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(raw) as ChangeMessage;
    } catch {
      return;
    }
    if (message.s === this.source) return;
    if (message.kind === 'key' && message.o && message.k) this.deliver(message.o, message.k);
    else if (message.kind === 'org' && message.o) this.deliverOrganization(message.o);
    else if (message.kind === 'all') this.options.onResync();
  }

  private broadcast(message: ChangeMessage): void {
    if (this.closed) return;
    this.publisher.publish(this.options.channel, JSON.stringify(message)).catch((error: unknown) => {
      if (this.outbox.length === 0 && !this.overflowed) {
        this.options.log.warn({ err: error }, 'key change not broadcast yet; will resend when Redis is back');
      }
      if (this.outbox.length < OUTBOX_LIMIT) this.outbox.push(message);
      else this.overflowed = true;
    });
  }

  private async drainOutbox(): Promise<void> {
    if (this.closed) return;
    if (this.overflowed) {
      this.outbox = [{ s: this.source, kind: 'all' }];
      this.overflowed = false;
    }
    const pending = this.outbox;
    this.outbox = [];
    for (const message of pending) this.broadcast(message);
  }

  override async close(): Promise<void> {
    this.closed = true;
    try {
      if (this.subscriber.status === 'ready') await this.subscriber.quit();
      else this.subscriber.disconnect(false);
    } catch {
      this.subscriber.disconnect(false);
    }
  }
}

/** A publisher for short-lived tools (the CLI), and how to finish with it. */
export interface KeyChangeBroadcaster {
  changes: KeyChangePublisher;
  /** Waits until every change was sent (or failed); returns how many could not be sent. */
  close(): Promise<{ failed: number }>;
}

/**
 * For a process that changes keys but does not serve (the CLI): with REDIS_URL, changes are
 * PUBLISHed to every running API process, as the API's own changes are; without, there is no
 * other process to tell (embedded mode is one process).
 */
export function openKeyChangeBroadcaster(
  env: Pick<TEnv, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>,
): KeyChangeBroadcaster {
  const url = env.REDIS_URL;
  if (!url) return { changes: new InProcessKeyChanges(), close: async () => ({ failed: 0 }) };
  const redis = new Redis(url, {
    connectionName: 'keysmith-cli',
    connectTimeout: 5000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => (times > 5 ? null : 200),
  });
  redis.on('error', () => undefined);
  const channel = `${env.REDIS_KEY_PREFIX}:key-changes`;
  const source = `cli-${randomBytes(6).toString('hex')}`;
  const sent: Promise<boolean>[] = [];
  const send = (message: Omit<ChangeMessage, 's'>) => {
    sent.push(
      redis.publish(channel, JSON.stringify({ s: source, ...message })).then(
        () => true,
        () => false,
      ),
    );
  };
  return {
    changes: {
      publish: (organizationId, keyId) => send({ kind: 'key', o: organizationId, k: keyId }),
      publishOrganization: (organizationId) => send({ kind: 'org', o: organizationId }),
    },
    async close() {
      const results = await Promise.all(sent);
      await redis.quit().catch(() => redis.disconnect());
      return { failed: results.filter((ok) => !ok).length };
    },
  };
}
