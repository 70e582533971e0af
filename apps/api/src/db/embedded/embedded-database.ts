import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file name PostgreSQL clients look for in a socket directory (`host=/dir`, port 5432). */
const SOCKET_FILE = '.s.PGSQL.5432';

export interface EmbeddedDatabase {
  /** `postgresql://postgres@localhost/postgres?host=<socket dir>` (libpq style, for `psql` and tools). */
  url: string;
  /** The directory holding the socket: the driver's `host`. */
  socketDir: string;
  /** Whether this process started the database (and stops it on `stop`). */
  owned: boolean;
  /** Stops the database process (when owned); waits for PGlite to close its files. */
  stop(): Promise<void>;
  /** A tarball of the data directory (test templates). Owned databases only. */
  dump(): Promise<Buffer>;
}

export interface EmbeddedDatabaseOptions {
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  /** For `memory://`: start from this data-directory tarball instead of an empty cluster. */
  templateFile?: string | undefined;
  /** How long to wait for the database process to come up. */
  startTimeoutMs?: number;
}

function urlFor(socketDir: string): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

/** Whether something answers on the socket (a database process serving this data directory). */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(socketPath)) {
      resolve(false);
      return;
    }
    const socket = net.connect(socketPath);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The socket directory for a data directory. Unix socket paths are limited to about 100 bytes,
 * so a deep `DATA_DIR` gets its socket under the system temp directory (named after the data
 * directory's inode, so the CLI finds the server's socket); otherwise it sits beside the data.
 */
export function socketDirFor(dataDir: string): string {
  const local = path.resolve(dataDir, '..', '.pglite-socket');
  if (Buffer.byteLength(path.join(local, SOCKET_FILE)) < 100) return local;
  mkdirSync(dataDir, { recursive: true });
  return path.join(tmpdir(), `keysmith-pglite-${statSync(dataDir).ino}`);
}

/** Where the compiled or source child script is, and how to run it. */
function childScript(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    return {
      file: path.join(path.dirname(here), 'pglite-process.ts'),
      execArgv: ['--conditions=@keysmith/source', '--import', 'tsx'],
    };
  }
  return { file: path.join(path.dirname(here), 'pglite-process.js'), execArgv: [] };
}

/**
 * The embedded database of a data directory: connects to the one already serving it (a running
 * Keysmith server, when the CLI runs beside it), or starts one in a child process that lives as
 * long as this process. A `memory://` database is always a new one, on a private socket.
 */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const memory = options.dataDir.startsWith('memory:');
  const socketDir = memory
    ? mkdtempSync(path.join(tmpdir(), 'ks-pg-'))
    : socketDirFor(path.resolve(options.dataDir));
  const socketPath = path.join(socketDir, SOCKET_FILE);
  if (!memory && (await answers(socketPath))) {
    return {
      url: urlFor(socketDir),
      socketDir,
      owned: false,
      stop: async () => undefined,
      dump: () => Promise.reject(new Error('not the owner of this database')),
    };
  }
  mkdirSync(socketDir, { recursive: true });
  if (!memory) mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const script = childScript();
  const args = [memory ? 'memory://' : path.resolve(options.dataDir), socketPath];
  if (options.templateFile) args.push(options.templateFile);
  const child = fork(script.file, args, {
    execArgv: script.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  await waitForReady(child, options.startTimeoutMs ?? 60_000);
  // The database must not keep this process alive on its own (tests, the CLI).
  child.unref();
  child.channel?.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: urlFor(socketDir),
    socketDir,
    owned: true,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.channel?.ref();
        child.send('stop');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      if (memory) rmSync(socketDir, { recursive: true, force: true });
    },
    dump: () =>
      new Promise<Buffer>((resolve, reject) => {
        child.channel?.ref();
        const onMessage = (msg: unknown) => {
          if (typeof msg === 'object' && msg !== null && 'dump' in msg) {
            child.off('message', onMessage);
            child.channel?.unref();
            resolve(Buffer.from(String((msg as { dump: string }).dump), 'base64'));
          }
        };
        child.on('message', onMessage);
        child.once('exit', () => reject(new Error('database process exited')));
        child.send('dump');
      }),
  };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the embedded database did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (msg) => {
      if (msg !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the embedded database exited while starting (code ${code}, signal ${signal})`));
    });
  });
}
