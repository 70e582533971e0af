// Diagnostic preload for the API process: times (PATCH_LOG_MODE=time, the default) or skips
// (PATCH_LOG_MODE=drop) the batched request-log writes (`RequestLogWriter.write`: the
// request_logs insert and the last-use update), to measure what they cost the hot path.
// `drop` loses every request log: an experiment, never a configuration.
//
//   PATCH_LOG_MODE=drop node --import ./bench/hot-path/diagnostics/request-logs.mjs apps/api/dist/main.js
import { RequestLogWriter } from '../../../apps/api/dist/verify/request-log-writer.js';

const mode = process.env.PATCH_LOG_MODE ?? 'time';
const write = RequestLogWriter.prototype.write;
const flushes = [];
RequestLogWriter.prototype.write = async function (rows, lastUse) {
  if (mode === 'drop') return;
  const started = performance.now();
  await write.call(this, rows, lastUse);
  flushes.push([rows.length, lastUse.size, Math.round(performance.now() - started)]);
};
process.on('exit', () => {
  if (mode === 'drop') return;
  process.stderr.write(
    `request-log flushes [rows, last-use keys, ms]: ${JSON.stringify(flushes.slice(-20))}\n`,
  );
});
