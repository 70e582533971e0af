/**
 * Child processes of the hot-path benchmark (servers, Redis, the in-process pipeline run),
 * pinned to a CPU core with `taskset` when available, and always killed: on normal stop,
 * on any exception (callers use try/finally) and when this process exits or is interrupted.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** A temporary directory removed when this process exits, however it exits. */
export function tempDir(prefix: string): string {
  hookExit();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    killAll();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

let tasksetChecked: boolean | null = null;
/** Whether `taskset` exists and this machine has at least two cores to split. */
export function canPin(): boolean {
  if (tasksetChecked === null) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = os.availableParallelism() >= 2;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/** Pins every thread of this process (the load generator) to `core`. */
export function pinSelf(core: number): boolean {
  if (!canPin()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Managed {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr (last 64 KiB), for error messages. */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnPinned(
  core: number | null,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; nice?: number } = {},
): Managed {
  hookExit();
  // `nice` and `taskset -c N cmd` exec cmd, so the child's pid is the real process's pid.
  let argv = [command, ...args];
  if (core !== null && canPin()) argv = ['taskset', '-c', String(core), ...argv];
  if (options.nice !== undefined && commandExists('nice'))
    argv = ['nice', '-n', String(options.nice), ...argv];
  const [file, ...rest] = argv as [string, ...string[]];
  const child = spawn(file, rest, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  children.add(child);
  let out = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-65_536);
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  return {
    child,
    pid: child.pid,
    output: () => out,
    waitForLine(pattern, timeoutMs) {
      const m = out.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${command}: no ${pattern} within ${timeoutMs} ms:\n${out}`)),
          timeoutMs,
        );
        const entry = {
          pattern,
          resolve: (match: RegExpMatchArray) => {
            clearTimeout(timer);
            resolve(match);
          },
        };
        waiters.push(entry);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`${command} exited (code ${child.exitCode}) before printing ${pattern}:\n${out}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200. */
export async function waitForHttp(url: string, timeoutMs: number, process?: Managed): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (process && process.child.exitCode !== null)
      throw new Error(`server exited (code ${process.child.exitCode}):\n${process.output()}`);
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms\n${process?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc; null where unavailable. */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Whether `command` is on PATH. */
export function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Busy CPU time of the whole machine so far (all cores, ms), from /proc/stat; null where unavailable. */
export function systemBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return ((total - idle) * 1000) / 100;
  } catch {
    return null;
  }
}

export interface CpuUse {
  /** CPU time / wall time of each watched process (1.0 = one core busy). */
  byPid: Map<number, number>;
  /** CPU used by everything else on the machine during the span, in cores. */
  background: number | null;
}

/** Runs `fn` and reports how busy the watched processes and the rest of the machine were. */
export async function withCpu<T>(pids: number[], fn: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const before = pids.map((pid) => cpuTimeMs(pid));
  const sysBefore = systemBusyMs();
  const t0 = performance.now();
  const result = await fn();
  const wall = performance.now() - t0;
  const sysAfter = systemBusyMs();
  const byPid = new Map<number, number>();
  let mine = 0;
  pids.forEach((pid, i) => {
    const a = before[i];
    const b = cpuTimeMs(pid);
    if (a !== null && a !== undefined && b !== null) {
      byPid.set(pid, (b - a) / wall);
      mine += b - a;
    }
  });
  const background =
    sysBefore !== null && sysAfter !== null ? Math.max(0, (sysAfter - sysBefore - mine) / wall) : null;
  return { result, cpu: { byPid, background } };
}

/** Child processes of `pid` (from /proc): the API's embedded database process, say. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Moves every thread of a running process to `core` (no-op without taskset). */
export function pinPid(pid: number, core: number): boolean {
  if (!canPin()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
