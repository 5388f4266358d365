/**
 * DESIGN.md §3 coalescing: one deep check per `result_ttl_ms`; concurrent requests share its result
 * and say so (`shared`, `checkedAt`). Origin reads are counted from the emulator's request log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { baseConfig, canaryBody, canaryResponse, fakePlatform, TEST_ACCESS_ID, TEST_SECRET } from '../support/fake-platform';
import { describeOnRuntimes } from '../support/runtimes';
import { startCanaryStack, STACK_OBJECT } from './support/canary-stack';
import type { CanaryStack } from './support/canary-stack';

const FLOOD = 1000;
// Long enough that a flood of 1000 sandboxes on a busy machine still falls in one window.
const TTL_MS = 300_000;
const FLOOD_TIMEOUT_MS = 180_000;

interface HealthJson {
  status: string;
  shared: boolean;
  checkedAt: string;
}

let stack: CanaryStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function flood(url: string, count: number): Promise<HealthJson[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      return (await response.json()) as HealthJson;
    }),
  );
}

function originGets(stack: CanaryStack): number {
  return stack.originRequests().filter((entry) => entry.method === 'GET' && entry.object === STACK_OBJECT).length;
}

describeOnRuntimes('coalescing', (runtime) => {
  it(`${FLOOD} concurrent /health in one result_ttl_ms window cost one origin GET, and all but one say shared`, async () => {
    let offsetMs = 0;
    stack = await startCanaryStack(runtime, { config: { result_ttl_ms: String(TTL_MS) }, now: () => Date.now() + offsetMs });

    const first = await flood(stack.canary.url, FLOOD);
    expect(originGets(stack)).toBe(1);
    expect(first.filter((report) => !report.shared)).toHaveLength(1);
    expect(new Set(first.map((report) => report.checkedAt)).size).toBe(1);
    expect(first.every((report) => report.status === 'pass')).toBe(true);

    // The next window (the host's clock moved past the TTL) probes once more, with a new checkedAt.
    offsetMs = TTL_MS + 1;
    const second = await flood(stack.canary.url, FLOOD);
    expect(originGets(stack)).toBe(2);
    expect(second.filter((report) => !report.shared)).toHaveLength(1);
    const checkedAt = new Set(second.map((report) => report.checkedAt));
    expect(checkedAt.size).toBe(1);
    expect(Date.parse([...checkedAt][0]!)).toBeGreaterThan(Date.parse(first[0]!.checkedAt) + TTL_MS);
    // 2000 sandboxes on the wasm (one instance per request, as on Compute) take a while on a busy
    // machine; this is a cap for a stuck run, not a performance figure (that is npm run bench).
  }, FLOOD_TIMEOUT_MS);

  it('with result_ttl_ms = 0 every request probes: N requests, N origin GETs, none shared', async () => {
    stack = await startCanaryStack(runtime, { config: { result_ttl_ms: '0' } });
    const reports = await flood(stack.canary.url, 50);
    expect(originGets(stack)).toBe(50);
    expect(reports.filter((report) => report.shared)).toEqual([]);
  });

  it('/metrics shares the same window as /health', async () => {
    stack = await startCanaryStack(runtime, { config: { result_ttl_ms: String(TTL_MS) } });
    const metrics = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack!.canary.url}/metrics`).then((r) => r.text())));
    await flood(stack.canary.url, 20);
    expect(originGets(stack)).toBe(1);
    expect(metrics.filter((text) => /^edge_canary_result_shared 0$/m.test(text))).toHaveLength(1);
  });
});

describe('a shared result never outlives the settings it was taken with', () => {
  it('a changed config value or a rotated secret probes again instead of answering from the window', async () => {
    const config = baseConfig({ result_ttl_ms: String(TTL_MS) });
    const secrets = { hmac_access_id: TEST_ACCESS_ID, hmac_secret: TEST_SECRET };
    const platform = fakePlatform({ origin: () => canaryResponse(canaryBody(new Date())), config, secrets });
    const app = createApp(platform);
    const health = async () => (await (await app.request('/health')).json()) as HealthJson & { credential: { fingerprint: string } };

    const first = await health();
    expect((await health()).shared).toBe(true);
    config.warn_age_seconds = '120';
    expect((await health()).shared).toBe(false);
    secrets.hmac_secret = 'cm90YXRlZC1zZWNyZXQtZm9yLWVkZ2UtY2FuYXJ5LTAw';
    const rotated = await health();
    expect(rotated.shared).toBe(false);
    expect(rotated.credential.fingerprint).not.toBe(first.credential.fingerprint);
    // Back to the first settings: their result, still inside its window, was taken with exactly these.
    secrets.hmac_secret = TEST_SECRET;
    delete config.warn_age_seconds;
    const back = await health();
    expect(back).toMatchObject({ shared: true, checkedAt: first.checkedAt });
    expect(back.credential.fingerprint).toBe(first.credential.fingerprint);
    expect(platform.requests).toHaveLength(3);
  });
});
