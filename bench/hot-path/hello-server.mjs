// Baseline (a): the bare `node:http` hello-world the hot path is compared against.
// Plain JavaScript, no loader, no framework: `node hello-server.mjs <port>`.
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const body = Buffer.from('{"hello":"world"}');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
