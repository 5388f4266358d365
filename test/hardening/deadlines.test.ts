/**
 * DESIGN.md §3: everything — all attempts, both checks — finishes inside `deadline_ms`; past it the
 * check is `timeout` and the endpoint still answers in time. The only timing assertions in this
 * suite are this bound, which the feature itself promises, on both runtimes: each check's own
 * duration (the work the deadline must cut) within deadline_ms + 250 ms; the app's whole answer by
 * its own clock (Server-Timing `total`, rendering included) within deadline_ms + 500 ms; the
 * client's within deadline_ms + 1 s. The wider two leave room for what a busy machine adds after
 * the cut: on the wasm, guest code waiting for a core, and the local host's cost per request (on
 * Fastly a fraction of a millisecond).
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { startCanaryStack, warmUpRuntime } from './support/canary-stack';
import type { CanaryStack } from './support/canary-stack';
import { startTestServer } from './support/test-server';
import type { TestServer } from './support/test-server';

const DEADLINE_MS = 1000;
const SLACK_MS = 250;
const ANSWER_SLACK_MS = 500;
const HOST_SLACK_MS = 1000;
const EDGE_PATH = '/edge-canary/canary.json';

interface HealthJson {
  status: string;
  reason: string;
  checks: Record<string, Array<{ reason: string; attempts?: number; observedValue?: number | null; observedUnit?: string }>>;
}

let stack: CanaryStack | undefined;
let edge: TestServer | undefined;

afterEach(async () => {
  await stack?.close();
  await edge?.close();
  stack = undefined;
  edge = undefined;
});

async function timedGet(url: string, init: RequestInit = {}): Promise<{ elapsedMs: number; response: Response; body: string }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  return { elapsedMs: performance.now() - started, response, body };
}

const cases = [
  { name: 'origin hangs, one attempt', attempts: '1', edgeHangs: false, originHangs: true, firstByteMs: undefined },
  { name: 'origin and edge hang, 3 attempts, Fastly backend timeouts (5 s first byte)', attempts: '3', edgeHangs: true, originHangs: true, firstByteMs: undefined },
  { name: 'origin and edge hang, 3 attempts of 300 ms each: a retry runs, and none starts with less than MIN_ATTEMPT_MS left', attempts: '3', edgeHangs: true, originHangs: true, firstByteMs: 300 },
  { name: 'only the edge hangs, 3 attempts', attempts: '3', edgeHangs: true, originHangs: false, firstByteMs: 200 },
];

describeOnRuntimes(`with a hanging backend, the checks stop at deadline_ms (${DEADLINE_MS}) + ${SLACK_MS} ms and /health answers in time`, (runtime) => {
  beforeAll(() => warmUpRuntime(runtime));

  it.each(cases)('$name', async ({ attempts, edgeHangs, originHangs, firstByteMs }) => {
    edge = await startTestServer();
    stack = await startCanaryStack(runtime, {
      config: { deadline_ms: String(DEADLINE_MS), attempts, result_ttl_ms: '0', ...(edgeHangs ? { edge_url: `https://www.example.org${EDGE_PATH}` } : {}) },
      backends: edgeHangs ? { edge: edge.url } : {},
      ...(firstByteMs ? { timeouts: { firstByteMs } } : {}),
    });
    const base = stack.canary.url;
    if (originHangs) stack.emulator.setFault({ type: 'hang' });

    const replies = await Promise.all([
      timedGet(`${base}/health`),
      timedGet(`${base}/health`),
      timedGet(`${base}/health?format=text`),
      timedGet(`${base}/health`, { method: 'HEAD' }),
      timedGet(`${base}/metrics`),
    ]);

    for (const { elapsedMs, response } of replies) {
      const appMs = Number(/(?:^|,\s*)total;dur=(\d+(?:\.\d+)?)/.exec(response.headers.get('server-timing') ?? '')?.[1]);
      expect(appMs, `${response.url}: the app took ${appMs} ms by its own clock`).toBeLessThanOrEqual(DEADLINE_MS + ANSWER_SLACK_MS);
      expect(elapsedMs, `${response.url} took ${Math.round(elapsedMs)} ms`).toBeLessThanOrEqual(DEADLINE_MS + HOST_SLACK_MS);
    }
    expect(replies.slice(0, 4).map(({ response }) => response.status)).toEqual([503, 503, 503, 503]);
    expect(replies[4]!.response.status).toBe(200);
    expect(replies[4]!.body).toMatch(/^edge_canary_up 0$/m);
    for (const { body } of replies.slice(0, 2)) {
      const report = JSON.parse(body) as HealthJson;
      expect(report.status).toBe('fail');
      expect(report.reason).toBe('timeout');
      if (originHangs) expect(report.checks['origin:fetch']?.[0]?.reason).toBe('timeout');
      if (edgeHangs) expect(report.checks['edge:fetch']?.[0]?.reason).toBe('timeout');
      const fetchChecks = Object.entries(report.checks).filter(([name]) => name.endsWith(':fetch'));
      expect(fetchChecks.length).toBe(edgeHangs ? 2 : 1);
      for (const [name, [check]] of fetchChecks) {
        expect(check?.observedUnit, `${name} reports its duration`).toBe('ms');
        expect(check?.observedValue, `${name} ran ${check?.observedValue} ms`).toBeLessThanOrEqual(DEADLINE_MS + SLACK_MS);
      }
    }
    if (firstByteMs) {
      const report = JSON.parse(replies[0]!.body) as HealthJson;
      if (edgeHangs) expect(report.checks['edge:fetch']?.[0]?.attempts).toBeGreaterThanOrEqual(2);
      if (originHangs) expect(report.checks['origin:fetch']?.[0]?.attempts).toBeGreaterThanOrEqual(2);
    }
  });
});
