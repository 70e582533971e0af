/**
 * After an API process has shut down (SIGTERM drains every buffered request log), counts the
 * request-log rows of each benchmark phase by code: the exact number of refused
 * verifications (must be 0: the benchmark measures the admitted path) and a check that no
 * log row was lost.
 */
import { type DatabaseConfig, openOrm } from '../../apps/api/src/db/orm.js';

export interface Phase {
  name: string;
  from: number;
  to: number;
}

export interface PhaseCounts {
  name: string;
  /** Rows per `method` and `code`, e.g. `VERIFY VALID`, `POST VALID`, `GET RATE_LIMITED`. */
  byCode: Record<string, number>;
  /**
   * Rows of the metered key (VERIFY for /v1/keys/verify, GET for /v1/rate-limit) whose code is
   * not VALID. (A verify call writes one row, the verified key's; the caller's is counted per minute.)
   */
  refused: number;
  /** Rows of the metered key. */
  metered: number;
}

export async function countRequestLogs(database: DatabaseConfig, phases: Phase[]): Promise<PhaseCounts[]> {
  const orm = await openOrm(database);
  try {
    const conn = orm.em.fork().getConnection();
    const out: PhaseCounts[] = [];
    for (const phase of phases) {
      const rows: { method: string; code: string; n: string | number }[] = await conn.execute(
        `select method, code, count(*) as n from request_logs where time >= ? and time < ? group by method, code`,
        [new Date(phase.from), new Date(phase.to)],
      );
      const byCode: Record<string, number> = {};
      let refused = 0;
      let metered = 0;
      for (const row of rows) {
        const n = Number(row.n);
        byCode[`${row.method} ${row.code}`] = n;
        if (row.method === 'VERIFY' || row.method === 'GET') {
          metered += n;
          if (row.code !== 'VALID') refused += n;
        }
      }
      out.push({ name: phase.name, byCode, refused, metered });
    }
    return out;
  } finally {
    await orm.close(true);
  }
}
