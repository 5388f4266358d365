/**
 * Closing the Node canary ends its checks: backend requests in flight are aborted and a check still
 * retrying sends nothing more, so `npm start` says "stopped" only once nothing talks to the stack.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { startCanaryStack } from '../hardening/support/canary-stack';
import type { CanaryStack } from '../hardening/support/canary-stack';
import { startOrigin } from './origin';
import type { TestOrigin } from './origin';

let stack: CanaryStack | undefined;
let bucket: TestOrigin | undefined;

afterEach(async () => {
  await stack?.close();
  await bucket?.close();
  stack = bucket = undefined;
});

it('close aborts the backend requests in flight, and a retrying check sends none after it', async () => {
  bucket = await startOrigin(() => undefined); // never answers: each attempt times out and is retried
  stack = await startCanaryStack('node', { backends: { gcs: bucket.url }, timeouts: { firstByteMs: 150 }, config: { deadline_ms: '6000', result_ttl_ms: '0' } });
  const health = fetch(`${stack.canary.url}/health`).then((response) => response.status, () => 'cut');
  await vi.waitFor(() => expect(bucket!.received.length).toBeGreaterThan(0));

  await stack.canary.close();
  const sentUntilClosed = bucket.received.length;
  await bucket.allConnectionsClosed();
  // Longer than a few first-byte timeouts and retry backoffs: a check still running would have retried by now.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(bucket.received.length).toBe(sentUntilClosed);
  expect(await health).not.toBe(200);
});
