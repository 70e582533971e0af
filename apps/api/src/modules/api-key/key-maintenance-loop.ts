import type { Logger } from 'pino';
import type { Orm } from '../../db/orm.js';
import type { KeyChangePublisher } from './key-changes.js';
import { renewExpiringKeys, revokeEndedGracePeriods } from './key-maintenance.js';

/**
 * Runs the key maintenance jobs on a fixed period, starting immediately (so work that fell
 * due while the process was down is done at start). Never overlaps itself; `stop()` waits
 * for a run in progress so the database is not closed under it.
 */
export function startKeyMaintenance(orm: Orm, changes: KeyChangePublisher, log: Logger, periodMs: number) {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const em = orm.em.fork();
        const revoked = await revokeEndedGracePeriods(em, changes);
        const renewed = await renewExpiringKeys(em, changes);
        if (revoked + renewed > 0) log.info({ revoked, renewed }, 'key maintenance');
      } catch (error) {
        log.error({ err: error }, 'key maintenance failed');
      } finally {
        running = null;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, periodMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
