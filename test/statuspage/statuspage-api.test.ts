import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../scripts/statuspage/api-key';
import { StatuspageApiError, StatuspageConfigError } from '../../scripts/statuspage/errors';
import { createRateLimiter } from '../../scripts/statuspage/rate-limiter';
import type { RetryPolicy } from '../../scripts/statuspage/retry-policy';
import { retryDelayMs } from '../../scripts/statuspage/retry-policy';
import type { StatuspageClient } from '../../scripts/statuspage/statuspage-api';
import { createStatuspageClient } from '../../scripts/statuspage/statuspage-api';
import type { FakeStatuspage } from './fake-statuspage';
import { startFakeStatuspage } from './fake-statuspage';

const KEY = 'sp-key-0123456789abcdef';
const FAST_RETRY: RetryPolicy = { maxTries: 5, baseDelayMs: 10, maxDelayMs: 5000 };

describe('Statuspage client', () => {
  let api: FakeStatuspage;
  let retries: string[];
  const client = (limiterMs = 10, retry = FAST_RETRY): StatuspageClient =>
    createStatuspageClient({
      apiBase: api.apiBase,
      pageId: 'page1',
      componentId: 'comp1',
      apiKey: new ApiKey(KEY),
      limiter: createRateLimiter(limiterMs),
      retry,
      timeoutMs: 2000,
      onRetry: (message) => retries.push(message),
    });

  beforeEach(async () => {
    api = await startFakeStatuspage('page1', 'comp1', 'operational');
    retries = [];
  });
  afterEach(() => api.close());

  it('reads the component and PATCHes it the way the Statuspage API expects', async () => {
    const statuspage = client();
    expect(await statuspage.getComponentStatus()).toBe('operational');
    await statuspage.setComponentStatus('major_outage');
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/pages/page1/components/comp1',
      'PATCH /v1/pages/page1/components/comp1',
    ]);
    const [patch] = api.patches();
    expect(patch.authorization).toBe(`OAuth ${KEY}`);
    expect(patch.contentType).toBe('application/json');
    expect(patch.body).toEqual({ component: { status: 'major_outage' } });
    expect(api.componentStatus).toBe('major_outage');
  });

  it('waits for Retry-After on 429, then succeeds with a single accepted PATCH', async () => {
    api.answerNext({ status: 429, headers: { 'Retry-After': '1' }, body: '{"error":"Rate limit exceeded"}' });
    await client().setComponentStatus('partial_outage');
    const [refused, accepted] = api.patches();
    expect([refused.answered, accepted.answered]).toEqual([429, 200]);
    expect(api.patches().filter((r) => r.answered === 200)).toHaveLength(1);
    expect(accepted.at - refused.at).toBeGreaterThanOrEqual(900);
    expect(retries[0]).toContain('HTTP 429; retrying in 1.0 s (try 2/5)');
  });

  it('backs off on 420 too', async () => {
    api.answerNext({ status: 420 }, { status: 420 });
    await client().setComponentStatus('degraded_performance');
    expect(api.patches().map((r) => r.answered)).toEqual([420, 420, 200]);
  });

  it('gives up after the bounded number of tries', async () => {
    api.answerNext(...Array.from({ length: 10 }, () => ({ status: 429 })));
    const failure = client().setComponentStatus('major_outage');
    await expect(failure).rejects.toBeInstanceOf(StatuspageApiError);
    await expect(failure).rejects.toThrow('still answered HTTP 429 after 5 tries');
    expect(api.requests).toHaveLength(5);
  });

  it.each([
    { status: 401, hint: 'check STATUSPAGE_API_KEY' },
    { status: 403, hint: 'check its permissions' },
    { status: 404, hint: 'page page1 or component comp1 does not exist' },
  ])('reports HTTP $status as a configuration problem without retrying', async ({ status, hint }) => {
    api.answerNext({ status, body: JSON.stringify({ error: `rejected ${KEY}` }) });
    const failure = client().getComponentStatus();
    await expect(failure).rejects.toBeInstanceOf(StatuspageConfigError);
    await expect(failure).rejects.toThrow(hint);
    await failure.catch((error: Error) => expect(error.message).not.toContain(KEY));
    expect(api.requests).toHaveLength(1);
  });

  it('spaces its requests by the limiter interval', async () => {
    const statuspage = client(300);
    await Promise.all([statuspage.getComponentStatus(), statuspage.getComponentStatus(), statuspage.setComponentStatus('operational')]);
    const gaps = api.requests.slice(1).map((r, i) => r.at - api.requests[i].at);
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(270);
  });
});

describe('retryDelayMs', () => {
  const policy: RetryPolicy = { maxTries: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
  const now = Date.parse('2026-11-26T00:00:00Z');
  it.each([
    { name: 'first backoff without Retry-After', attempt: 1, header: null, delay: 1000 },
    { name: 'doubles each try', attempt: 3, header: null, delay: 4000 },
    { name: 'capped', attempt: 10, header: null, delay: 30_000 },
    { name: 'Retry-After seconds', attempt: 1, header: '7', delay: 7000 },
    { name: 'Retry-After HTTP date', attempt: 1, header: 'Thu, 26 Nov 2026 00:00:03 GMT', delay: 3000 },
    { name: 'Retry-After capped', attempt: 1, header: '3600', delay: 30_000 },
    { name: 'unreadable Retry-After falls back', attempt: 2, header: 'soon', delay: 2000 },
  ])('$name -> $delay ms', ({ attempt, header, delay }) => {
    expect(retryDelayMs(policy, attempt, header, now)).toBe(delay);
  });
});
