/**
 * The embedded database process: PGlite (PostgreSQL in WASM) serving the PostgreSQL wire
 * protocol on a Unix socket, so the API talks to it exactly as to a PostgreSQL server and never
 * runs SQL on its own event loop (decision 0017). Started by `embedded-database.ts` with an IPC
 * channel; it exits when that channel closes (its parent died), on SIGTERM/SIGINT, or on a
 * `stop` message, closing PGlite cleanly first.
 *
 * Arguments: the data directory (or `memory://`), the socket file, and optionally a
 * data-directory tarball to start a `memory://` database from (fast test databases).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { WireBridge } from './wire-bridge.js';

/**
 * The one place this process ends itself (it is the embedded database's own process, decision
 * 0017, not a test), with a code that says why: 0 closed on request, 2 bad arguments, 3 data
 * directory held by another process; the reason goes to stderr for the parent that started it.
 */
function end(code: 0 | 2 | 3, reason?: string): never {
  if (reason) process.stderr.write(`${reason}\n`);
  process.exit(code);
}

const [dir = 'memory://', socketArg, template] = process.argv.slice(2);
const socketPath =
  socketArg || end(2, 'usage: pglite-process <data dir | memory://> <socket file> [template tarball]');

// One process per data directory: two PGlite instances on the same files would corrupt them.
if (!dir.startsWith('memory:')) takeLock(`${dir}.lock`);

const db = await PGlite.create(
  template ? { dataDir: dir, loadDataDir: new Blob([readFileSync(template)]) } : { dataDir: dir },
);
rmSync(socketPath, { force: true });
const bridge = new WireBridge(db);
await bridge.listen(socketPath);

/** Creates `file` holding this pid; takes it over only from a process that no longer runs. */
function takeLock(file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(file, { force: true }));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        end(3, `the embedded database ${dir} is in use by process ${holder}`);
      }
      rmSync(file, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let stopping: Promise<void> | null = null;
function stop(): Promise<void> {
  stopping ??= (async () => {
    await bridge.close();
    await db.close();
    rmSync(socketPath, { force: true });
    end(0);
  })();
  return stopping;
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
process.on('message', async (msg: unknown) => {
  if (msg === 'stop') await stop();
  if (msg === 'dump') {
    // A tarball of the data directory (test templates): sent back as base64 over IPC.
    const blob = await db.dumpDataDir('none');
    process.send?.({ dump: Buffer.from(await blob.arrayBuffer()).toString('base64') });
  }
});
process.send?.('ready');
