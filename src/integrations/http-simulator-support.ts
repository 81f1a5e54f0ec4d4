// What the partner simulators that run as separate HTTP services share (the bank, the transfer
// platform's peer center): posting a signed body to Anju, reading a request body, answering.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A notifier that POSTs a signed body to Anju with the signature in `header`; a non-2xx answer counts
 * as not delivered (the simulator retries).
 */
export function signedPoster(
  url: string,
  header: string,
): (rawBody: string, signature: string) => Promise<string> {
  return async (rawBody, signature) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [header]: signature },
      body: rawBody,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`refused by Anju: ${response.status} ${text}`);
    return text;
  };
}

export function readBody(request: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
  response.end(text);
}
