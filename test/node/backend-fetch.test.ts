import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/core/types';
import { createBackendAgents, fetchBackend, fetchNamedBackend } from '../../src/node/backend-fetch';
import type { BackendAgents, BackendTimeouts } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import { closedPort, startOrigin } from './origin';
import type { OriginHandler, TestOrigin } from './origin';

const SIGNED_URL = 'https://storage.googleapis.com/edge-canary-test/canary.json?x-id=GetObject';
const QUICK: BackendTimeouts = { connectMs: 1000, firstByteMs: 300, betweenBytesMs: 300 };

let origin: TestOrigin | undefined;
let agents: BackendAgents;

afterEach(async () => {
  agents?.http.destroy();
  await origin?.close();
  origin = undefined;
});

function backendFor(url: string, overrides: Partial<BackendSpec> = {}): BackendSpec {
  return { name: 'gcs', url: new URL(url), overrideHost: null, certHost: null, useSni: true, ...overrides };
}

async function serveOrigin(handler: OriginHandler): Promise<BackendSpec> {
  origin = await startOrigin(handler);
  agents = createBackendAgents();
  return backendFor(origin.url);
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the backend fetch to fail'),
    (error: unknown) => error,
  );
}

describe('what the origin receives', () => {
  it('the signed Host, not the address it connected to, with path, query and headers intact', async () => {
    const backend = await serveOrigin((_req, res) => res.end('{}'));
    const request = new Request(SIGNED_URL, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-amz-date': '20260101T000000Z' },
    });
    const response = await fetchBackend(backend, request, { agents });
    await response.text();

    const [received] = origin?.received ?? [];
    expect(received.headers.host).toBe('storage.googleapis.com');
    expect(received.path).toBe('/edge-canary-test/canary.json?x-id=GetObject');
    expect(received.headers.authorization).toBe('AWS4-HMAC-SHA256 Credential=x');
    expect(received.headers['x-amz-date']).toBe('20260101T000000Z');
  });

  it('override_host replaces the Host header', async () => {
    const backend = { ...(await serveOrigin((_req, res) => res.end('{}'))), overrideHost: 'bucket.example.com' };
    await (await fetchBackend(backend, new Request(SIGNED_URL), { agents })).text();
    expect(origin?.received[0].headers.host).toBe('bucket.example.com');
  });

  it('the path prefix of the backend url goes before the request path', async () => {
    await serveOrigin((_req, res) => res.end('{}'));
    const backend = backendFor(`${origin?.url}/storage/`);
    await (await fetchBackend(backend, new Request(SIGNED_URL), { agents })).text();
    expect(origin?.received[0].path).toBe('/storage/edge-canary-test/canary.json?x-id=GetObject');
  });

  it('reuses the kept-alive connection for the next request', async () => {
    const backend = await serveOrigin((_req, res) => res.end('{}'));
    for (let i = 0; i < 3; i += 1) await (await fetchBackend(backend, new Request(SIGNED_URL), { agents })).text();
    const ports = new Set(origin?.received.map((r) => r.remotePort));
    expect(ports.size).toBe(1);
  });
});

describe('what the app receives', () => {
  it('status, headers and body of the origin reply', async () => {
    const backend = await serveOrigin((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml', 'x-goog-hash': 'crc32c=AAAAAA==' });
      res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
    });
    const response = await fetchBackend(backend, new Request(SIGNED_URL), { agents });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-goog-hash')).toBe('crc32c=AAAAAA==');
    expect(await response.text()).toBe('<Error><Code>SignatureDoesNotMatch</Code></Error>');
  });

  it('no body for HEAD', async () => {
    const backend = await serveOrigin((_req, res) => res.end());
    const response = await fetchBackend(backend, new Request(SIGNED_URL, { method: 'HEAD' }), { agents });
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });
});

describe('transport failures', () => {
  it('connection refused is connect_failed', async () => {
    const backend = backendFor(`http://127.0.0.1:${await closedPort()}`);
    const error = await rejection(fetchBackend(backend, new Request(SIGNED_URL), { timeouts: QUICK }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'connect_failed', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('a backend missing from the manifest is connect_failed, not a crash', async () => {
    const error = await rejection(fetchNamedBackend(new Map(), 'edge', new Request(SIGNED_URL)));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'connect_failed', message: 'backend edge is not defined in the manifest' });
  });

  it('an origin that never answers is a timeout within the first-byte timeout', async () => {
    const backend = await serveOrigin(() => {});
    const started = Date.now();
    const error = await rejection(fetchBackend(backend, new Request(SIGNED_URL), { agents, timeouts: QUICK }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringContaining('first byte within 300 ms') });
    expect(Date.now() - started).toBeLessThan(3000);
    await origin?.allConnectionsClosed();
  });

  it('an origin that stalls mid-body fails the body read with a timeout', async () => {
    const backend = await serveOrigin((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"kind":');
    });
    const response = await fetchBackend(backend, new Request(SIGNED_URL), { agents, timeouts: QUICK });
    const error = await rejection(response.text());
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'timeout' });
    await origin?.allConnectionsClosed();
  });

  it('a connection reset mid-body fails the body read with connect_failed', async () => {
    const backend = await serveOrigin((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"kind":', () => res.socket?.resetAndDestroy());
    });
    const response = await fetchBackend(backend, new Request(SIGNED_URL), { agents, timeouts: QUICK });
    const error = await rejection(response.text());
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: 'connect_failed' });
  });
});

describe('a caller that gives up', () => {
  it('aborting the request rejects with the abort reason and closes the connection', async () => {
    const backend = await serveOrigin(() => {});
    const controller = new AbortController();
    const pending = fetchBackend(backend, new Request(SIGNED_URL, { signal: controller.signal }), { agents });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('deadline reached'));
    await expect(pending).rejects.toThrow('deadline reached');
    await origin?.allConnectionsClosed();
  });
});

describe('a reader that stops early', () => {
  it('cancelling the body after 64 KiB closes the connection to an endless origin', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const backend = await serveOrigin((_req, res) => {
      const write = () => {
        while (res.write(chunk));
      };
      res.on('drain', write);
      write();
    });
    const response = await fetchBackend(backend, new Request(SIGNED_URL), { agents, timeouts: QUICK });
    const reader = response.body?.getReader();
    let read = 0;
    while (reader !== undefined && read < 64 * 1024) {
      const { value, done } = await reader.read();
      if (done) break;
      read += value.byteLength;
    }
    await reader?.cancel();

    expect(read).toBeGreaterThanOrEqual(64 * 1024);
    await origin?.allConnectionsClosed();
    expect(origin?.openConnections()).toBe(0);
    expect(Object.keys(agents.http.sockets)).toHaveLength(0);
    expect(Object.keys(agents.http.freeSockets)).toHaveLength(0);
  });
});

describe('an abort signal (the core abandoning an attempt)', () => {
  it('closes the connection of a request still in flight', async () => {
    const backend = await serveOrigin(() => undefined);
    const controller = new AbortController();
    const pending = rejection(fetchBackend(backend, new Request(SIGNED_URL), { agents, signal: controller.signal }));
    await expect.poll(() => origin?.openConnections()).toBe(1);
    controller.abort(new BackendError('timeout', 'abandoned'));
    expect(await pending).toMatchObject({ name: 'BackendError', message: 'abandoned' });
    await expect.poll(() => origin?.openConnections()).toBe(0);
  });

  it('once the body has ended, leaves the kept-alive connection alone for the next request', async () => {
    const backend = await serveOrigin((_req, res) => res.end('{}'));
    const controller = new AbortController();
    await (await fetchBackend(backend, new Request(SIGNED_URL), { agents, signal: controller.signal })).text();
    controller.abort(new BackendError('timeout', 'abandoned too late'));
    const next = await fetchBackend(backend, new Request(SIGNED_URL), { agents });
    expect([next.status, await next.text()]).toEqual([200, '{}']);
    expect(origin?.received).toHaveLength(2);
    expect(origin?.openConnections()).toBe(1);
  });
});
