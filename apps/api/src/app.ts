import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { pino } from 'pino';
import { migrate, type Orm, openOrm } from './db/orm.js';
import type { TEnv } from './env.js';
import { createLogger } from './logger.js';
import { startRequestLogRetention } from './modules/request-log/request-log-retention.js';
import { policyJobs } from './modules/scheduler/policy-jobs.js';
import { keyJobs, type Scheduler, startScheduler } from './modules/scheduler/scheduler.js';
import { startWebhookWorker, type WebhookWorker } from './modules/webhook/webhook-worker.js';
import { buildServer } from './server.js';
import { type AppServices, createServices } from './services.js';

export interface KeysmithApp {
  services: AppServices;
  server: FastifyInstance;
  /** The background loops: key and key-policy jobs (§2.2, §10) and webhook delivery (§7). */
  background: { scheduler: Scheduler; webhooks: WebhookWorker };
  /** Stops accepting requests, drains in-flight work, closes the database. */
  close: () => Promise<void>;
}

export interface CreateAppOptions {
  /** Use this ORM instead of opening one from the environment (tests). */
  orm?: Orm;
  logDestination?: pino.DestinationStream;
}

/** Opens the database from the environment (PGlite under DATA_DIR unless DATABASE_URL is set). */
export function openOrmFromEnv(env: TEnv): Promise<Orm> {
  return openOrm({ databaseUrl: env.DATABASE_URL, pgliteDir: path.join(env.DATA_DIR, 'pglite') });
}

/** Assembles the whole application; migrations are applied before it serves. */
export async function createApp(env: TEnv, options: CreateAppOptions = {}): Promise<KeysmithApp> {
  const log = createLogger(env, options.logDestination);
  const orm = options.orm ?? (await openOrmFromEnv(env));
  const applied = await migrate(orm);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  const services = createServices(env, orm, log);
  await services.verification.ready();
  const server = await buildServer(services);
  const scheduler = startScheduler(
    orm,
    [...keyJobs(services.keyChanges), ...policyJobs(services.keyChanges, env.KEY_POLICY_PERIOD_MS)],
    log,
    env.KEY_MAINTENANCE_PERIOD_MS,
  );
  const webhooks = startWebhookWorker(orm, services.secretBox, log, {
    periodMs: env.WEBHOOK_WORKER_PERIOD_MS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    backoffScale: env.WEBHOOK_BACKOFF_SCALE,
    concurrency: env.WEBHOOK_CONCURRENCY,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
  });
  const retention = startRequestLogRetention(orm, log, env.REQUEST_LOG_RETENTION_DAYS);
  let closed = false;
  return {
    services,
    server,
    background: { scheduler, webhooks },
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
      await scheduler.stop();
      await retention.stop();
      // Attempts in flight finish and are recorded; nothing is sent after this.
      await webhooks.stop();
      // Every admitted request's log row and credits are written before the database closes.
      await services.verification.close();
      if (!options.orm) await orm.close();
    },
  };
}
