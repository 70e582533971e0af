/**
 * Open-loop load generator: requests are sent at a constant arrival rate, on a schedule
 * fixed in advance (request i at start + i/rate), whatever the server does. Latency is
 * measured from the *scheduled* send time, so a slow answer that delays later requests
 * (queueing on a busy connection, a late event loop) is charged to every request it delays:
 * no coordinated omission. This is what autocannon's `-R` does not do (it sends bursts per
 * connection and times from the actual send).
 *
 * It speaks HTTP/1.1 over raw keep-alive sockets with prebuilt request bytes and a minimal
 * response parser (Content-Length bodies), one request in flight per connection, so the
 * generator's own cost per request is a few microseconds. It spins on `setImmediate` to
 * send on time (its core is dedicated to load generation) and reports how late it was
 * (`sendLagP99Ms`) so its own jitter is visible next to the server's latency.
 */
import net from 'node:net';
import { percentile } from '../stats.js';

export interface OpenLoopOptions {
  host: string;
  port: number;
  /** Requests per second. */
  rate: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Raw HTTP/1.1 requests, used round-robin. */
  requests: Buffer[];
  /** Decides whether an answer counts as a success (e.g. 200 and `"valid":true`). */
  check: (status: number, body: Buffer) => boolean;
  /** Connections opened before the schedule starts; more are opened on demand. */
  initialConnections?: number;
  maxConnections?: number;
}

export interface OpenLoopResult {
  rate: number;
  /** Measured (after warm-up) requests that completed. */
  completed: number;
  /** Requests actually sent per second in the measured span. */
  achievedRate: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Answers that failed `check` (for verify: refused or not valid), over warm-up and measurement. */
  failed: number;
  errors: number;
  /**
   * How late the generator itself got round to sending (its event loop behind schedule), p99
   * in ms: its own contribution to the measured latency. Waiting for a free connection is not
   * included here (that is the server being slow, and is in the latency).
   */
  sendLagP99Ms: number;
  connectionsUsed: number;
}

interface Pending {
  scheduled: number;
  request: Buffer;
}

class Connection {
  readonly socket: net.Socket;
  busy: Pending | null = null;
  private buf: Buffer | null = null;
  ready: Promise<void>;

  constructor(
    host: string,
    port: number,
    private readonly onDone: (conn: Connection, job: Pending, status: number, body: Buffer) => void,
    private readonly onError: (conn: Connection, job: Pending | null) => void,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.onError(this, this.busy));
  }

  send(job: Pending): void {
    this.busy = job;
    this.socket.write(job.request);
  }

  private onData(chunk: Buffer): void {
    const buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    const headerEnd = buf.indexOf('\r\n\r\n');
    if (headerEnd < 0) {
      this.buf = buf;
      return;
    }
    const head = buf.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!match) throw new Error(`open-loop: answer without Content-Length:\n${head}`);
    const total = headerEnd + 4 + Number(match[1]);
    if (buf.length < total) {
      this.buf = buf;
      return;
    }
    this.buf = buf.length > total ? buf.subarray(total) : null;
    const job = this.busy;
    this.busy = null;
    if (job) this.onDone(this, job, status, buf.subarray(headerEnd + 4, total));
  }
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, requests } = options;
  const maxConnections = options.maxConnections ?? 512;
  const interval = 1000 / rate;
  const expected = Math.ceil(rate * options.durationSeconds * 1.05) + 16;
  const latencies = new Float64Array(expected);
  const lags = new Float64Array(expected);
  let latencyCount = 0;
  let lagCount = 0;
  let failed = 0;
  let errors = 0;
  let inFlight = 0;
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const queue: Pending[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  let measureTo = Number.POSITIVE_INFINITY;
  let sentMeasured = 0;

  const dispatch = (conn: Connection, job: Pending) => {
    conn.send(job);
  };

  const onDone = (conn: Connection, job: Pending, status: number, body: Buffer) => {
    const now = performance.now();
    inFlight--;
    if (job.scheduled >= measureFrom && job.scheduled < measureTo && latencyCount < latencies.length)
      latencies[latencyCount++] = now - job.scheduled;
    if (!options.check(status, body)) failed++;
    const next = queue.shift();
    if (next) dispatch(conn, next);
    else idle.push(conn);
  };

  const onError = (conn: Connection, job: Pending | null) => {
    all.delete(conn);
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    if (job) {
      errors++;
      inFlight--;
    }
  };

  const open = () => {
    const conn = new Connection(options.host, options.port, onDone, onError);
    all.add(conn);
    return conn;
  };

  const initial = Array.from({ length: options.initialConnections ?? 32 }, open);
  await Promise.all(initial.map((c) => c.ready));
  idle.push(...initial);

  let next = 0;
  const start = performance.now() + 20;
  measureFrom = start + options.warmupSeconds * 1000;
  measureTo = measureFrom + options.durationSeconds * 1000;

  const submit = (scheduled: number, now: number) => {
    if (scheduled >= measureFrom && lagCount < lags.length) lags[lagCount++] = now - scheduled;
    const job: Pending = { scheduled, request: requests[next % requests.length] as Buffer };
    inFlight++;
    if (scheduled >= measureFrom) sentMeasured++;
    const conn = idle.pop();
    if (conn) {
      dispatch(conn, job);
      return;
    }
    queue.push(job);
    if (all.size < maxConnections) {
      const fresh = open();
      fresh.ready.then(
        () => {
          const waiting = queue.shift();
          if (waiting) dispatch(fresh, waiting);
          else idle.push(fresh);
        },
        () => undefined,
      );
    }
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      let scheduled = start + next * interval;
      while (scheduled <= now && scheduled < measureTo) {
        submit(scheduled, now);
        next++;
        scheduled = start + next * interval;
      }
      if (scheduled < measureTo) setImmediate(tick);
      else resolve();
    };
    setImmediate(tick);
  });
  // Let the last answers arrive (bounded).
  const drainUntil = performance.now() + 5000;
  while (inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  const connectionsUsed = all.size;
  for (const conn of all) conn.socket.destroy();

  const measured = Array.from(latencies.subarray(0, latencyCount));
  const lagList = Array.from(lags.subarray(0, lagCount));
  return {
    rate,
    completed: latencyCount,
    achievedRate: sentMeasured / options.durationSeconds,
    p50Ms: percentile(measured, 50),
    p90Ms: percentile(measured, 90),
    p99Ms: percentile(measured, 99),
    p999Ms: percentile(measured, 99.9),
    maxMs: measured.reduce((m, v) => Math.max(m, v), 0),
    failed,
    errors: errors + Math.max(inFlight, 0),
    sendLagP99Ms: percentile(lagList, 99),
    connectionsUsed,
  };
}

/** A raw HTTP/1.1 keep-alive request. */
export function rawRequest(
  method: string,
  path: string,
  host: string,
  headers: Record<string, string>,
  body?: string,
): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
}
