/**
 * DESIGN.md §3: an abandoned attempt's body is cancelled and its request ended: on the Node host by
 * the abort the core signals; on the local Compute host (js-compute's fetch cannot be aborted) when
 * the guest closes the body it gave up on, or at the latest when its sandbox exits, as on Fastly. A dripping origin (headers, then a byte now and
 * then, forever) keeps every between-bytes timer happy; without either, each check window would
 * leave one more socket open to it.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { startCanaryStack } from './support/canary-stack';
import type { CanaryStack } from './support/canary-stack';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const WINDOWS = 5;
const DRIP_EVERY_MS = 50;

let stack: CanaryStack | undefined;
let origin: TestServer | undefined;
const drips = new Set<NodeJS.Timeout>();

afterEach(async () => {
  for (const drip of drips) clearInterval(drip);
  drips.clear();
  await stack?.close();
  await origin?.close();
  stack = undefined;
  origin = undefined;
});

function drip(_request: unknown, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{');
  const timer = setInterval(() => response.write(' '), DRIP_EVERY_MS);
  drips.add(timer);
  response.on('close', () => {
    clearInterval(timer);
    drips.delete(timer);
  });
}

describeOnRuntimes('a dripping origin', (runtime) => {
  it(`leaves no socket open after ${WINDOWS} check windows that each ended at the deadline`, async () => {
    origin = await startTestServer(drip);
    stack = await startCanaryStack(runtime, { config: { deadline_ms: '300', attempts: '1', result_ttl_ms: '0' }, backends: { gcs: origin.url } });

    for (let window = 0; window < WINDOWS; window++) {
      const response = await fetch(`${stack.canary.url}/health`);
      const report = (await response.json()) as { reason: string };
      expect([response.status, report.reason]).toEqual([503, 'timeout']);
    }

    expect(origin.received).toHaveLength(WINDOWS);
    // The abort is asynchronous on the origin's side: wait for the closes, but never for a drip to end.
    await expect.poll(() => origin!.openSockets(), { timeout: 3000, interval: 50 }).toBe(0);
  });

  it('aborts a request the origin has not answered yet, long before the 5 s first-byte timeout would', async () => {
    origin = await startTestServer();
    stack = await startCanaryStack(runtime, { config: { deadline_ms: '300', attempts: '1', result_ttl_ms: '0' }, backends: { gcs: origin.url } });

    for (let window = 0; window < WINDOWS; window++) {
      const response = await fetch(`${stack.canary.url}/health`);
      expect(response.status).toBe(503);
      await response.body?.cancel();
    }

    expect(origin.received).toHaveLength(WINDOWS);
    await expect.poll(() => origin!.openSockets(), { timeout: 3000, interval: 50 }).toBe(0);
  });
});
