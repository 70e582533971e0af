import net from 'node:net';

/** The slice of PGlite the bridge drives (so tests can hand it a real instance or a stand-in). */
export interface WireBackend {
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  query(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  isInTransaction(): boolean;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const QUERY = 0x51; // 'Q'
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const COPY_FAIL = 0x66; // 'f'
const TERMINATE = 0x58; // 'X'
/** `COPY table (cols) FROM STDIN [options]`: the statement the bridge runs itself (see below). */
const COPY_FROM_STDIN = /^\s*copy\s+([\s\S]+?)\s+from\s+stdin\b([\s\S]*?);?\s*$/i;

/** One protocol message: a type byte, then a length that counts itself. */
function message(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

/** ErrorResponse with severity, SQLSTATE and message, as PostgreSQL sends it. */
function errorResponse(code: string, text: string): Buffer {
  return message(
    0x45,
    Buffer.concat([
      Buffer.from('S'),
      cstring('ERROR'),
      Buffer.from('V'),
      cstring('ERROR'),
      Buffer.from('C'),
      cstring(code),
      Buffer.from('M'),
      cstring(text),
      Buffer.from([0]),
    ]),
  );
}

function readyForQuery(inTransaction: boolean): Buffer {
  return message(READY_FOR_QUERY, Buffer.from([inTransaction ? 0x54 : IDLE]));
}

/** The status byte of the last ReadyForQuery in a backend answer, or null when it holds none. */
export function lastReadyStatus(out: Uint8Array): number | null {
  let status: number | null = null;
  let i = 0;
  while (i + 5 <= out.length) {
    const length =
      ((out[i + 1] ?? 0) << 24) | ((out[i + 2] ?? 0) << 16) | ((out[i + 3] ?? 0) << 8) | (out[i + 4] ?? 0);
    if (out[i] === READY_FOR_QUERY && i + 5 < out.length) status = out[i + 5] ?? null;
    i += 1 + length;
  }
  return status;
}

/**
 * Serves one PGlite backend to several PostgreSQL wire-protocol clients (the API's pool, the
 * CLI while the server runs, tests) over a Unix socket.
 *
 * PGlite is one single-user backend, so clients take turns: a connection holds the backend from
 * its first message until the backend reports it idle (ReadyForQuery 'I'), i.e. for a whole
 * statement, extended-protocol exchange or explicit transaction. Other connections queue (FIFO)
 * meanwhile, so transactions and unnamed statements of different clients never interleave. A
 * connection that closes while holding the backend gets its transaction rolled back.
 *
 * All messages a client has sent so far go to PGlite in one call. `COPY … FROM STDIN`, which
 * PGlite does not speak on the wire, is run by the bridge: it collects the CopyData and loads it
 * with PGlite's `COPY … FROM '/dev/blob'`, answering as PostgreSQL would; so batched writers use
 * COPY on the embedded database and on a PostgreSQL server alike.
 */
export class WireBridge {
  private owner: Connection | null = null;
  private readonly waiting: { connection: Connection; wake: () => void }[] = [];
  private readonly connections = new Set<Connection>();
  private server: net.Server | null = null;

  constructor(private readonly backend: WireBackend) {}

  /** Listens on `socketPath` (a PostgreSQL-style `.s.PGSQL.5432` file lets clients connect by directory). */
  listen(socketPath: string): Promise<void> {
    const server = net.createServer((socket) => {
      const connection = new Connection(this, this.backend, socket);
      this.connections.add(connection);
      socket.once('close', () => this.connections.delete(connection));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting connections, ends open ones, and waits for the backend to be free. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of this.connections) connection.end();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await this.acquire(null);
  }

  /** Waits until `connection` holds the backend (null: until nobody does, then holds it). */
  acquire(connection: Connection | null): Promise<void> {
    if (this.owner === connection && connection !== null) return Promise.resolve();
    if (this.owner === null) {
      this.owner = connection;
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiting.push({ connection: connection as Connection, wake }));
  }

  release(connection: Connection): void {
    if (this.owner !== connection) return;
    const next = this.waiting.shift();
    this.owner = next ? next.connection : null;
    next?.wake();
  }

  holds(connection: Connection): boolean {
    return this.owner === connection;
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private closed = false;
  /** Work is done in arrival order, one batch at a time. */
  private chain: Promise<void> = Promise.resolve();
  /** Set while a `COPY … FROM STDIN` collects its data. */
  private copy: { sql: string; chunks: Buffer[]; failed: string | null } | null = null;

  constructor(
    private readonly bridge: WireBridge,
    private readonly backend: WireBackend,
    private readonly socket: net.Socket,
  ) {
    socket.on('data', (data: Buffer) => {
      this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      this.chain = this.chain.then(() => this.pump()).catch(() => this.end());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.chain = this.chain.then(() => this.abandon());
    });
  }

  end(): void {
    if (!this.socket.destroyed) this.socket.destroy();
  }

  /** The client went away: roll back what it left open and hand the backend on. */
  private async abandon(): Promise<void> {
    if (!this.bridge.holds(this)) return;
    try {
      if (this.backend.isInTransaction()) await this.backend.exec('rollback');
    } finally {
      this.bridge.release(this);
    }
  }

  /** Takes every complete message buffered so far and runs them. */
  private async pump(): Promise<void> {
    const messages: Buffer[] = [];
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N'); // no encryption on a local socket
          this.buffer = this.buffer.subarray(8);
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.buffer = this.buffer.subarray(Math.min(length, this.buffer.length));
          this.end();
          return;
        }
        if (code !== PROTOCOL_3 || this.buffer.length < length) break;
        messages.push(this.buffer.subarray(0, length));
        this.buffer = this.buffer.subarray(length);
        this.started = true;
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) break;
      messages.push(this.buffer.subarray(0, length));
      this.buffer = this.buffer.subarray(length);
    }
    // Batches are cut at COPY boundaries: the bridge itself answers those messages.
    let batch: Buffer[] = [];
    for (const m of messages) {
      if (this.copy !== null || this.isCopyFromStdin(m)) {
        if (batch.length > 0) await this.run(batch);
        batch = [];
        await this.copyMessage(m);
      } else if (m[0] === TERMINATE && this.started) {
        if (batch.length > 0) await this.run(batch);
        batch = [];
        this.end();
        return;
      } else {
        batch.push(m);
      }
    }
    if (batch.length > 0) await this.run(batch);
  }

  private async run(batch: Buffer[]): Promise<void> {
    if (this.closed) return;
    await this.bridge.acquire(this);
    const out = await this.backend.execProtocolRaw(
      new Uint8Array(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch)),
    );
    if (out.length > 0 && !this.socket.destroyed) this.socket.write(out);
    if (lastReadyStatus(out) === IDLE) this.bridge.release(this);
  }

  private isCopyFromStdin(m: Buffer): boolean {
    return m[0] === QUERY && COPY_FROM_STDIN.test(m.subarray(5, m.length - 1).toString('utf8'));
  }

  private async copyMessage(m: Buffer): Promise<void> {
    if (this.copy === null) {
      await this.bridge.acquire(this);
      this.copy = { sql: m.subarray(5, m.length - 1).toString('utf8'), chunks: [], failed: null };
      // CopyInResponse: text format, column count unknown to the bridge (0 is accepted by clients).
      this.socket.write(message(0x47, Buffer.from([0, 0, 0])));
      return;
    }
    const copy = this.copy;
    if (m[0] === COPY_DATA) {
      copy.chunks.push(Buffer.from(m.subarray(5)));
      return;
    }
    if (m[0] === COPY_FAIL) copy.failed = m.subarray(5, m.length - 1).toString('utf8');
    else if (m[0] !== COPY_DONE) return; // Flush/Sync during COPY are ignored, as PostgreSQL does
    this.copy = null;
    let reply: Buffer;
    if (copy.failed !== null) {
      reply = errorResponse('57014', `COPY from stdin failed: ${copy.failed}`);
    } else {
      const match = COPY_FROM_STDIN.exec(copy.sql);
      const sql = `copy ${match?.[1] ?? ''} from '/dev/blob'${match?.[2] ?? ''}`;
      try {
        const result = await this.backend.query(sql, [], { blob: new Blob(copy.chunks) });
        reply = message(0x43, cstring(`COPY ${result.affectedRows ?? 0}`));
      } catch (error) {
        const e = error as { code?: string; message?: string };
        reply = errorResponse(e.code ?? 'XX000', e.message ?? String(error));
      }
    }
    const inTransaction = this.backend.isInTransaction();
    if (!this.socket.destroyed) this.socket.write(Buffer.concat([reply, readyForQuery(inTransaction)]));
    if (!inTransaction) this.bridge.release(this);
  }
}
