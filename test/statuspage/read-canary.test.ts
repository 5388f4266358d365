import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanary } from '../../scripts/statuspage/read-canary';
import type { FakeCanary } from './fake-canary';
import { startFakeCanary, unreachableUrl } from './fake-canary';

describe('readCanary', () => {
  let canary: FakeCanary;
  beforeAll(async () => {
    canary = await startFakeCanary();
  });
  afterAll(() => canary.close());

  it.each(['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const)(
    'reads statuspage=%s, a 503 with a JSON body included, and asks for health+json',
    async (status) => {
      canary.behave(status);
      const reading = await readCanary(canary.url, { timeoutMs: 2000 });
      expect(reading).toMatchObject({ kind: 'status', status });
      expect(reading.kind === 'status' && reading.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(canary.accepts.at(-1)).toBe('application/health+json');
    },
  );

  it.each([
    { behaviour: 'garbage', problem: 'HTTP 502 with a body that is not JSON' },
    { behaviour: 'no_statuspage_field', problem: 'HTTP 200 JSON has no "statuspage" field' },
  ] as const)('treats $behaviour as unreachable and says why', async ({ behaviour, problem }) => {
    canary.behave(behaviour);
    expect(await readCanary(canary.url, { timeoutMs: 2000 })).toEqual({ url: canary.url, kind: 'unreachable', problem });
  });

  it('rejects an unknown statuspage value', async () => {
    const fetchUnknown: typeof fetch = async () => new Response(JSON.stringify({ statuspage: 'all_good' }), { status: 200 });
    const reading = await readCanary('http://canary.test/health', { timeoutMs: 2000, fetch: fetchUnknown });
    expect(reading).toEqual({ url: 'http://canary.test/health', kind: 'unreachable', problem: 'HTTP 200 "statuspage" is "all_good", not a known status' });
  });

  it('gives up on a canary that does not answer within the timeout', async () => {
    canary.behave('hang');
    const reading = await readCanary(canary.url, { timeoutMs: 300 });
    expect(reading).toEqual({ url: canary.url, kind: 'unreachable', problem: 'no answer within 0.3 s' });
  });

  it('reports a refused connection', async () => {
    const url = await unreachableUrl();
    const reading = await readCanary(url, { timeoutMs: 2000 });
    expect(reading.kind).toBe('unreachable');
    expect(reading.kind === 'status' ? '' : reading.problem).toContain('ECONNREFUSED');
  });

  it('a canary reporting misconfigured is blind, whatever its statuspage field says', async () => {
    canary.behave('misconfigured');
    const reading = await readCanary(canary.url, { timeoutMs: 2000 });
    expect(reading).toMatchObject({ kind: 'misconfigured' });
    expect(reading.kind === 'status' ? '' : reading.problem).toBe('the canary reports misconfigured: config: bucket: required; fix its configuration (it cannot check the files until then)');
  });

  it.each([null, 'major_outage'])('a misconfigured canary saying statuspage %j (null now, major_outage before) is blind', async (statuspage) => {
    const reply: typeof fetch = async () => new Response(JSON.stringify({ status: 'fail', reason: 'misconfigured', statuspage, output: 'config: bucket: required' }), { status: 503 });
    expect(await readCanary('http://canary.test/health', { timeoutMs: 2000, fetch: reply })).toMatchObject({ kind: 'misconfigured' });
  });

  const answering = (body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status: 503 });
  const fail = (reason: string) => [{ status: 'fail', reason }];
  it.each([
    { name: 'stale origin', checks: { 'origin:fetch': [{ status: 'pass', reason: 'ok' }], 'origin:freshness': fail('stale') }, expected: 'degraded_performance' },
    { name: 'future-dated at both targets', checks: { 'origin:freshness': fail('future_dated'), 'edge:freshness': fail('future_dated') }, expected: 'degraded_performance' },
    { name: 'stale, and the edge served from cache', checks: { 'origin:freshness': fail('stale'), 'edge:fetch': fail('served_from_cache') }, expected: 'major_outage' },
    { name: 'auth failed', checks: { 'origin:fetch': fail('auth_failed'), 'origin:freshness': fail('auth_failed') }, expected: 'major_outage' },
  ])('a stale or future-dated canary is at most degraded_performance, even from an older canary ($name)', async ({ checks, expected }) => {
    const reading = await readCanary('http://canary.test/health', { timeoutMs: 2000, fetch: answering({ statuspage: 'major_outage', checks }) });
    expect(reading).toMatchObject({ kind: 'status', status: expected });
  });
});
