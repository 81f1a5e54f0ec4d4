// The bank side of bench/deposit-notifications.ts: a worker thread (its own event loop, as the bank is
// another system and pgbench's client another process) that POSTs signed notifications with `clients`
// concurrent keep-alive connections until the time or the messages run out. Plain JavaScript with
// node:http only, so the load generator costs as little CPU as it can.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string; path: string; signatureHeader: string; clients: number; seconds: number; messages: Array<{ body: string; signature: string }> }} */
const { url, path, signatureHeader, clients, seconds, messages } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });

/** One POST; resolves with the outcome ("credited", or "<status> <code>"). */
function post(message) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(message.body, 'utf8');
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          [signatureHeader]: message.signature,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve(response.statusCode === 200 ? parsed.outcome : `${response.statusCode} ${parsed.code}`);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

let next = 0;
const credited = [];
const latencies = [];
const outcomes = {};
const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (performance.now() < deadline && next < messages.length) {
      const index = next;
      next += 1;
      const t0 = performance.now();
      let outcome;
      try {
        outcome = await post(messages[index]);
      } catch (error) {
        outcome = `error ${error.code ?? error.message}`;
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (outcome === 'credited') {
        latencies.push(performance.now() - t0);
        credited.push(index);
      }
    }
  }),
);
agent.destroy();
parentPort.postMessage({
  used: next,
  credited,
  latencies,
  outcomes,
  seconds: (performance.now() - start) / 1000,
});
