import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a webhook receiver got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks/keysmith`: loopback over http, which WEBHOOK_ALLOW_PRIVATE allows. */
  url: string;
  received: ReceivedRequest[];
  close: () => Promise<void>;
}

/** A `node:http` receiver on 127.0.0.1 that records every request and answers 204. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/keysmith`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
