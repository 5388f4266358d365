/** A shield's route to the bucket in the local fleet: forwards as received, hangs on demand, comes back. */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShieldPath } from '../../scripts/stack/shield-path';
import type { ShieldPath } from '../../scripts/stack/shield-path';

let origin: Server;
let path: ShieldPath;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  origin = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(207, { 'x-goog-hash': 'crc32c=abc' }).end('from the bucket');
    });
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const target = new URL(`http://127.0.0.1:${(origin.address() as AddressInfo).port}`);
  path = await startShieldPath({ host: '127.0.0.1', target: () => target });
});

afterAll(async () => {
  await path?.close();
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve));
});

/** A raw request with the Host header a signed bucket read carries (fetch would not let us set it). */
function send(pathAndQuery: string, options: { method?: string; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const url = new URL(path.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: url.hostname, port: url.port, path: pathAndQuery, method: options.method ?? 'GET', headers: { host: 'storage.googleapis.com', authorization: 'GOOG4-HMAC-SHA256 x' } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('a shield path', () => {
  it('forwards the request as received: method, path and query, Host, signature, body; and the answer back', async () => {
    const answer = await send('/bucket/canary.json?x=1', { method: 'PUT', body: 'payload' });
    expect(answer).toMatchObject({ status: 207, body: 'from the bucket', headers: expect.objectContaining({ 'x-goog-hash': 'crc32c=abc' }) });
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/bucket/canary.json?x=1', body: 'payload', headers: expect.objectContaining({ host: 'storage.googleapis.com', authorization: 'GOOG4-HMAC-SHA256 x' }) });
  });

  it('hangs on POST /_path/hang until POST /_path/restore, which cuts what hung and answers again', async () => {
    expect(await (await fetch(`${path.url}/_path/hang`, { method: 'POST' })).text()).toBe('hanging\n');
    const before = seen.length;
    const hung = send('/bucket/canary.json').then(() => 'answered', () => 'cut');
    const early = await Promise.race([hung, new Promise((resolve) => setTimeout(() => resolve('still hanging'), 300))]);
    expect(early).toBe('still hanging');
    expect(await (await fetch(`${path.url}/_path/restore`, { method: 'POST' })).text()).toBe('open\n');
    expect(await hung).toBe('cut');
    expect(seen.length).toBe(before);
    expect((await send('/bucket/canary.json')).status).toBe(207);
  });

  it('names its two controls for anything else under /_path/', async () => {
    const response = await fetch(`${path.url}/_path/break`, { method: 'POST' });
    expect([response.status, await response.text()]).toEqual([404, 'use POST /_path/hang or POST /_path/restore\n']);
  });
});
