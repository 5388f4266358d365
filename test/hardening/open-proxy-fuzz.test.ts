/**
 * Property: no generated request makes the canary ask a backend for anything but the configured
 * object with GET/HEAD, answer 5xx other than a real check failure's 503 (half the runs the origin
 * answers 403, the other half it is healthy), or stop answering, on both runtimes. Requests go
 * over raw sockets to the real host; the emulator's request log and the edge server's log are read
 * after each one. Seeded, so a run is repeatable; set
 * HARDENING_FUZZ_SEED to explore other seeds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { assertNoSecrets } from '../support/secret-scan';
import { startProxyStack } from './support/proxy-stack';
import type { ProxyStack } from './support/proxy-stack';
import { hostileRequest } from './support/hostile-requests';
import { formatRawRequest, sendRaw } from './support/raw-http';

const RUNS = 2000;
const SEED = Number(process.env.HARDENING_FUZZ_SEED ?? 20261126);

describeOnRuntimes(`${RUNS} generated hostile requests`, (runtime) => {
  let proxy: ProxyStack;

  beforeAll(async () => {
    proxy = await startProxyStack(runtime);
  });

  afterAll(async () => {
    await proxy.close();
  });

  it('never reach anything but the canary object, never answer 5xx, never crash the host', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest, fc.boolean(), async ({ parts, mayBeHungUp }, originRefuses) => {
        proxy.stack.emulator.clearFaults();
        if (originRefuses) proxy.stack.emulator.setFault({ type: 'status', status: 403 });
        const reply = await sendRaw(proxy.port, formatRawRequest(parts));
        const status = reply.status === null ? 'closed' : String(reply.status);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (reply.status === null) expect(mayBeHungUp, 'only CONNECT may go unanswered').toBe(true);
        else if (reply.status >= 500) {
          // The one 5xx allowed: a deep check that really failed, saying so.
          expect(reply.status).toBe(503);
          expect(originRefuses).toBe(true);
          expect(reply.raw).toMatch(/\r\nx-canary-status: fail\r\n/i);
        }
        assertNoSecrets(reply.raw, 'a raw reply of the canary');
        expect(proxy.takeForeignRequests()).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    process.stdout.write(`open-proxy fuzz (seed ${SEED}) statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    // The property was not vacuous: many requests ran the deep check and got a healthy answer.
    expect(statuses.get('200') ?? 0).toBeGreaterThan(RUNS / 20);
    expect(statuses.get('503') ?? 0).toBeGreaterThan(RUNS / 40);
    expect(proxy.canaryReads()).toBeGreaterThan(RUNS / 20);
    proxy.stack.emulator.clearFaults();
    for (const path of ['/live', '/health']) {
      const reply = await sendRaw(proxy.port, formatRawRequest({ method: 'GET', target: path, headers: [['Host', 'canary.example.net']] }));
      expect(reply.status, `${path} after the fuzz`).toBe(200);
    }
  }, 120_000);
});
