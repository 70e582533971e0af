// Diagnostic preload for the API process: which SQL statements block its event loop?
// Embedded PGlite runs Postgres (WASM) synchronously on the main thread; this times every
// synchronous `execProtocolRawSync` call and attributes it to the statement last passed to
// `query`/`exec`. Prints a summary to stderr when the process exits:
//
//   node --import ./bench/hot-path/diagnostics/pglite-blocking.mjs apps/api/dist/main.js
import { PGlite } from '../../../apps/api/node_modules/@electric-sql/pglite/dist/index.js';

let current = '?';
const base = Object.getPrototypeOf(PGlite.prototype);
for (const name of ['query', 'exec']) {
  const target = Object.hasOwn(PGlite.prototype, name) ? PGlite.prototype : base;
  const original = target[name];
  target[name] = function (sql, ...rest) {
    current = String(sql).replace(/\s+/g, ' ').trim().slice(0, 70);
    return original.call(this, sql, ...rest);
  };
}
const stats = new Map();
const blocks = [];
const sync = PGlite.prototype.execProtocolRawSync;
PGlite.prototype.execProtocolRawSync = function (...args) {
  const started = performance.now();
  try {
    return sync.apply(this, args);
  } finally {
    const ms = performance.now() - started;
    const s = stats.get(current) ?? { calls: 0, ms: 0, max: 0 };
    s.calls++;
    s.ms += ms;
    s.max = Math.max(s.max, ms);
    stats.set(current, s);
    if (ms > 20) blocks.push([current.slice(0, 30), Math.round(ms)]);
  }
};
process.on('exit', () => {
  const top = [...stats]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 10)
    .map(
      ([sql, s]) =>
        `${s.ms.toFixed(0).padStart(6)} ms  ${String(s.calls).padStart(6)} calls  max ${s.max.toFixed(0)} ms  ${sql}`,
    );
  process.stderr.write(
    `PGlite time on the event loop, by statement:\n${top.join('\n')}\nblocks over 20 ms: ${blocks.length} ${JSON.stringify(blocks.slice(0, 12))}\n`,
  );
});
