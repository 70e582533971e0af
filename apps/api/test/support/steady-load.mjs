// A constant-rate load of one request at a time per slot, from its own process (so its timing is
// not the server's event loop): POSTs `body` to `url` with `authorization` every 1000/rate ms for
// `seconds`, then prints one JSON line with every answer's status and latency in ms.
import http from 'node:http';

const [url, authorization, body, rate, seconds] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const interval = 1000 / Number(rate);
const total = Math.round(Number(rate) * Number(seconds));
const results = [];
const start = performance.now();
let pending = 0;

function send(scheduled) {
  pending++;
  const req = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      agent,
      headers: {
        authorization,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        results.push({ status: res.statusCode, ms: performance.now() - scheduled });
        if (--pending === 0 && results.length === total) done();
      });
    },
  );
  req.on('error', () => {
    results.push({ status: 0, ms: performance.now() - scheduled });
    if (--pending === 0 && results.length === total) done();
  });
  req.end(body);
}

function done() {
  process.stdout.write(`${JSON.stringify(results)}\n`);
  agent.destroy();
}

for (let i = 0; i < total; i++) {
  const at = start + i * interval;
  setTimeout(() => send(at), Math.max(0, at - performance.now()));
}
