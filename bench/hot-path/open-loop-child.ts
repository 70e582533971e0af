/**
 * Runs one open-loop measurement in a process of its own (a small, fresh heap: no garbage
 * from the orchestrator's earlier phases, so the generator's own pauses stay out of the
 * latencies). Reads its job from the JSON file named in argv[2]; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { openLoop } from './open-loop.js';

export interface OpenLoopJob {
  host: string;
  port: number;
  rate: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Raw HTTP/1.1 requests (latin1 strings), used round-robin. */
  requests: string[];
  /** `status200`: any 200 answer; `validVerify`: 200 with `"valid":true` in the body. */
  check: 'status200' | 'validVerify';
}

const file = process.argv[2];
if (!file) throw new Error('usage: open-loop-child.ts <job.json>');
const job = JSON.parse(readFileSync(file, 'utf8')) as OpenLoopJob;
const result = await openLoop({
  host: job.host,
  port: job.port,
  rate: job.rate,
  warmupSeconds: job.warmupSeconds,
  durationSeconds: job.durationSeconds,
  requests: job.requests.map((r) => Buffer.from(r, 'latin1')),
  check:
    job.check === 'validVerify'
      ? (status, body) => status === 200 && body.includes('"valid":true')
      : (status) => status === 200,
});
process.stdout.write(`OPENLOOP ${JSON.stringify(result)}\n`);
