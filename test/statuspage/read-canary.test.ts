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
      expect(reading).toMatchObject({ reachable: true, status });
      expect(canary.accepts.at(-1)).toBe('application/health+json');
    },
  );

  it.each([
    { behaviour: 'garbage', problem: 'HTTP 502 with a body that is not JSON' },
    { behaviour: 'no_statuspage_field', problem: 'HTTP 200 JSON has no "statuspage" field' },
  ] as const)('treats $behaviour as unreachable and says why', async ({ behaviour, problem }) => {
    canary.behave(behaviour);
    expect(await readCanary(canary.url, { timeoutMs: 2000 })).toEqual({ url: canary.url, reachable: false, problem });
  });

  it('rejects an unknown statuspage value', async () => {
    const fetchUnknown: typeof fetch = async () => new Response(JSON.stringify({ statuspage: 'all_good' }), { status: 200 });
    const reading = await readCanary('http://canary.test/health', { timeoutMs: 2000, fetch: fetchUnknown });
    expect(reading).toEqual({ url: 'http://canary.test/health', reachable: false, problem: 'HTTP 200 "statuspage" is "all_good", not a known status' });
  });

  it('gives up on a canary that does not answer within the timeout', async () => {
    canary.behave('hang');
    const reading = await readCanary(canary.url, { timeoutMs: 300 });
    expect(reading).toEqual({ url: canary.url, reachable: false, problem: 'no answer within 0.3 s' });
  });

  it('reports a refused connection', async () => {
    const url = await unreachableUrl();
    const reading = await readCanary(url, { timeoutMs: 2000 });
    expect(reading.reachable).toBe(false);
    expect(reading.reachable ? '' : reading.problem).toContain('ECONNREFUSED');
  });
});
