/** health+json as checkers and people read it: one compact line, an action per check, since when. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { NONE_NEEDED } from '../../src/core/actions';
import { renderHealthJson } from '../../src/core/render/json';
import { SAMPLE_REPORTS, failEdgeTimeoutReport } from '../fixtures/reports';
import { baseConfig, canaryBody, canaryResponse, fakePlatform, gcsError, TEST_SECRET, type Origin } from '../support/fake-platform';

const NOW = Date.parse('2026-11-26T20:40:00.000Z');
const fresh = () => canaryResponse(canaryBody(new Date(NOW - 12_000)));
const FINGERPRINT = createHmac('sha256', TEST_SECRET).update('edge-canary-fingerprint').digest('hex').slice(0, 12);

function canary(origin: Origin, config = baseConfig()) {
  let now = NOW;
  const platform = fakePlatform({ origin: (request, backend) => origin(request, backend), config, now: () => now });
  const app = createApp(platform);
  return { app, advance: (ms: number) => void (now += ms), get: () => app.request('/health') };
}

describe('health+json is one compact line', () => {
  it.each(SAMPLE_REPORTS)('$name: a single line of JSON that starts with the overall status', ({ report }) => {
    const body = renderHealthJson(report);
    expect(body.endsWith('\n')).toBe(true);
    expect(body.trimEnd()).not.toContain('\n');
    expect(body.startsWith(`{"status":"${report.status}",`)).toBe(true);
  });

  it('a keyword checker matching {"status":"pass" is not fooled by a passing check inside a failing report', () => {
    const body = renderHealthJson(failEdgeTimeoutReport);
    expect(body).toContain('"status":"pass"');
    expect(body).not.toContain('{"status":"pass"');
  });

  it.each([
    { name: 'pass', origin: fresh, keyword: '{"status":"pass"' },
    { name: 'fail', origin: () => gcsError(403, 'SignatureDoesNotMatch'), keyword: '{"status":"fail"' },
  ])('through the app: $name starts with $keyword', async ({ origin, keyword }) => {
    const text = await (await canary(origin).get()).text();
    expect(text.startsWith(keyword)).toBe(true);
  });
});

describe('health+json says what to do', () => {
  it('the wrong secret: the action quotes the deployed fingerprint and the verify command for this bucket', async () => {
    const body = await (await canary(() => gcsError(403, 'SignatureDoesNotMatch')).get()).json();
    const expected = `the bucket rejects this secret: compare fingerprint ${FINGERPRINT} with the intended one: put it in ` +
      'CANARY_HMAC_ACCESS_ID/CANARY_HMAC_SECRET and run npm run verify -- --bucket pkg-files --object edge-canary/canary.json ' +
      '--signing goog4; if production holds the same secret, production is failing too';
    expect(body.action).toBe(expected);
    expect(body.checks['origin:fetch'][0].action).toBe(expected);
    expect(body.checks['origin:freshness'][0].action).toMatch(/^nothing of its own: the fetch failed \(auth_failed\)/);
  });

  it('a pass needs nothing, on every check', async () => {
    const body = await (await canary(fresh).get()).json();
    expect(body.action).toBe(NONE_NEEDED);
    expect(body.checks['origin:fetch'][0].action).toBe(NONE_NEEDED);
    expect(body.checks['origin:freshness'][0].action).toBe(NONE_NEEDED);
  });

  it('a misconfigured canary: top level and the config check', async () => {
    const body = await (await canary(fresh, { object: 'o' }).get()).json();
    expect(body.action).toMatch(/^nothing was fetched: fix each configuration error listed/);
    expect(body.checks.config[0].action).toBe(body.action);
  });
});

describe('health+json says since when', () => {
  it('since, sinceSeconds and previousStatus follow the status of this POP', async () => {
    let failing = false;
    const { get, advance } = canary(() => (failing ? gcsError(403, 'SignatureDoesNotMatch') : fresh()));
    expect(await (await get()).json()).toMatchObject({ status: 'pass', since: new Date(NOW).toISOString(), sinceSeconds: 0, previousStatus: null });
    advance(60_000);
    failing = true;
    await get();
    advance(12 * 60_000);
    expect(await (await get()).json()).toMatchObject({
      status: 'fail', since: new Date(NOW + 60_000).toISOString(), sinceSeconds: 720, previousStatus: 'pass',
    });
  });
});
