/**
 * src/node/body-stream.ts: a backend body that ends normally is followed by the socket's 'close'
 * event, and must not cost an error object (with its stack trace) per request; a body cut short
 * still fails as `connect_failed`. Work counted, not timed.
 */
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const built = vi.hoisted(() => ({ backendErrors: 0 }));

vi.mock('../../src/core/types', async (importOriginal) => {
  const types = await importOriginal<typeof import('../../src/core/types')>();
  class CountedBackendError extends types.BackendError {
    constructor(...args: ConstructorParameters<typeof types.BackendError>) {
      super(...args);
      built.backendErrors += 1;
    }
  }
  return { ...types, BackendError: CountedBackendError };
});

// The suite's setup files load src/core/types before this file's mock exists: load body-stream
// afresh, so it and its imports see the counting BackendError.
let bodyStream: typeof import('../../src/node/body-stream').bodyStream;
beforeAll(async () => {
  vi.resetModules();
  ({ bodyStream } = await import('../../src/node/body-stream'));
});

function socketBody(): PassThrough {
  return new PassThrough();
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('bodyStream', () => {
  it('a body that ends, then closes, builds no error', async () => {
    built.backendErrors = 0;
    const incoming = socketBody();
    const stream = bodyStream(incoming as unknown as IncomingMessage, () => undefined, 5000, 'backend gcs');
    const closed = new Promise((resolve) => incoming.once('close', resolve));
    const text = readAll(stream);
    incoming.end('{"kind":"edge-canary"}');
    expect(await text).toBe('{"kind":"edge-canary"}');
    await closed;
    expect(built.backendErrors).toBe(0);
  });

  it('a connection that closes before the body ends is connect_failed', async () => {
    built.backendErrors = 0;
    const incoming = socketBody();
    const stream = bodyStream(incoming as unknown as IncomingMessage, () => undefined, 5000, 'backend gcs');
    const text = readAll(stream);
    incoming.write('{"kind":');
    incoming.destroy();
    await expect(text).rejects.toMatchObject({ kind: 'connect_failed', message: 'backend gcs: connection closed before the body ended' });
    expect(built.backendErrors).toBe(1);
  });
});
