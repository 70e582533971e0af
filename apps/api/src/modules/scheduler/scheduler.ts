import type { Logger } from 'pino';
import type { Em, Orm } from '../../db/orm.js';
import type { KeyChangePublisher } from '../api-key/key-changes.js';
import { renewExpiringKeys, revokeEndedGracePeriods } from '../api-key/key-maintenance.js';
import { notifyExpiredKeys, warnExpiringKeys } from './expiry-notices.js';

/**
 * A job of the scheduler: handles the items due at `now` and returns how many it handled.
 * Jobs keep their state in the database and decide "due" with conditional updates, so each
 * item is handled once however many processes run them, and work that fell due while no
 * process ran is done at the next start.
 */
export interface ScheduledJob {
  name: string;
  /** Run at most this often in one process (default: every tick). */
  intervalMs?: number;
  run: (em: Em, now: Date) => Promise<number>;
}

/**
 * The key jobs of §2.2, in order: end roll grace periods (→ `key.revoked`), auto-renew
 * enterprise keys (before the expiry notices, so renewed keys are not warned about), warn
 * 30 days before expiry (`key.expiring`), announce expiry (`key.expired`).
 */
export function keyJobs(changes: KeyChangePublisher): ScheduledJob[] {
  return [
    { name: 'rollGraceEnded', run: (em, now) => revokeEndedGracePeriods(em, changes, now) },
    { name: 'autoRenew', run: (em, now) => renewExpiringKeys(em, changes, now) },
    { name: 'expiringSoon', run: warnExpiringKeys },
    { name: 'expired', run: notifyExpiredKeys },
  ];
}

export interface Scheduler {
  /** Runs every job once now (the loop calls it; tests may too). */
  runOnce: () => Promise<Record<string, number>>;
  /** Stops the loop and waits for a run in progress, so the database is not closed under it. */
  stop: () => Promise<void>;
}

/**
 * Runs the jobs every `periodMs`, starting at once. Never overlaps itself; a failing job is
 * logged and does not stop the others.
 */
export function startScheduler(
  orm: Orm,
  jobs: readonly ScheduledJob[],
  log: Logger,
  periodMs: number,
): Scheduler {
  let running: Promise<Record<string, number>> | null = null;
  let stopped = false;
  const lastRun = new Map<string, number>();

  const runJobs = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const job of jobs) {
      if (stopped) break;
      const now = new Date();
      const last = lastRun.get(job.name);
      if (job.intervalMs !== undefined && last !== undefined && now.getTime() - last < job.intervalMs)
        continue;
      lastRun.set(job.name, now.getTime());
      try {
        counts[job.name] = await job.run(orm.em.fork(), now);
      } catch (error) {
        log.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
    if (Object.values(counts).some((n) => n > 0)) log.info(counts, 'scheduled jobs');
    return counts;
  };

  const tick = (): Promise<Record<string, number>> => {
    if (running) return running;
    if (stopped) return Promise.resolve({});
    running = runJobs().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void tick(), periodMs);
  timer.unref();
  void tick();

  return {
    runOnce: async () => {
      await running;
      return tick();
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
