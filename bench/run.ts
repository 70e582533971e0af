/**
 * `pnpm bench`: runs every benchmark in one go on this machine and prints each figure with
 * its ratio to a baseline measured in the same run. Set BENCH_DATABASE_URL (a database of its
 * own) to also measure the key list and the verify path ((f)) on a PostgreSQL server, BENCH_ONLY=hot-path, BENCH_ONLY=key-list or
 * BENCH_ONLY=sdk or BENCH_ONLY=first-visit to run one part. Copy the printed tables into BENCHMARKS.md (the hot-path report is also written to
 * bench/results/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchFirstVisit } from './first-visit.bench.js';
import { benchHotPath, writeProfileReport } from './hot-path/index.js';
import { benchKeyList } from './key-list.bench.js';
import { benchSdk, type SdkReport } from './sdk/index.js';
import { type BenchResult, formatHotPathTable, formatTable } from './stats.js';

const only = process.env.BENCH_ONLY;
const started = performance.now();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.availableParallelism()} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;

const results: BenchResult[] = [];
if (only === undefined || only === 'key-list') {
  process.stderr.write('key list (admin, 100,000 keys)\n');
  results.push(...(await benchKeyList(undefined)));
  if (process.env.BENCH_DATABASE_URL) results.push(...(await benchKeyList(process.env.BENCH_DATABASE_URL)));
}

if (only === undefined || only === 'first-visit') {
  process.stderr.write('first visit in Chromium, empty cache (issue 11)\n');
  const firstVisit = await benchFirstVisit();
  results.push(...firstVisit.results);
}

let hotPath: Awaited<ReturnType<typeof benchHotPath>> | null = null;
if (only === undefined || only === 'hot-path') {
  process.stderr.write('verification hot path (issue 5)\n');
  hotPath = await benchHotPath();
}

let sdk: SdkReport | null = null;
if (only === undefined || only === 'sdk') {
  process.stderr.write('SDK middleware overhead (issue 12)\n');
  sdk = await benchSdk();
}

process.stdout.write(`\nMachine: ${machine}\n`);
if (results.length > 0) process.stdout.write(`\n${formatTable(results)}\n`);
if (hotPath) {
  const table = formatHotPathTable(hotPath.figures);
  const details = hotPath.figures.filter((f) => f.detail).map((f) => `- ${f.name}: ${f.detail}`);
  const profile = writeProfileReport(hotPath);
  const text = [
    table,
    '',
    ...details,
    ...hotPath.notes.map((n) => `- ${n}`),
    '',
    ...(profile ? [profile, '', `Profile file: ${hotPath.profileFile}`] : []),
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const header = `Machine: ${machine}. Measured ${new Date().toISOString()}.`;
  writeFileSync(new URL('./results/hot-path.md', import.meta.url), `${header}\n\n${text}\n`);
}
if (sdk) {
  const text = [
    formatHotPathTable(sdk.figures),
    '',
    ...sdk.figures.filter((f) => f.detail).map((f) => `- ${f.name}: ${f.detail}`),
    ...sdk.notes.map((n) => `- ${n}`),
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/sdk.md', import.meta.url),
    `Machine: ${machine}. Measured ${new Date().toISOString()}.\n\n${text}\n`,
  );
}
process.stdout.write(`\nTotal time: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
