/**
 * `pnpm bench`: runs every benchmark in one go on this machine and prints each figure with
 * its ratio to a baseline measured in the same run. Set BENCH_DATABASE_URL to also measure
 * on a PostgreSQL server. Copy the printed table into BENCHMARKS.md.
 */
import os from 'node:os';
import { benchKeyList } from './key-list.bench.js';
import { type BenchResult, formatTable } from './stats.js';

const results: BenchResult[] = [];
process.stderr.write('key list (admin, 100,000 keys)\n');
results.push(...(await benchKeyList(undefined)));
if (process.env.BENCH_DATABASE_URL) results.push(...(await benchKeyList(process.env.BENCH_DATABASE_URL)));

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n\n`);
process.stdout.write(`${formatTable(results)}\n`);
