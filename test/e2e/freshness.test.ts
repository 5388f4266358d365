/**
 * The write path as part of the check: while the uploader runs the canary stays fresh; once it
 * stops, the same object turns warn and then fail `stale` (thresholds lowered to 2 s and 4 s: each
 * step leaves well over a second for a stalled event loop on a busy machine).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { getHealth, sleep, startTestStack } from '../support/stack';
import type { HealthAnswer, Stack } from '../support/stack';

const WARN_S = 2;
const MAX_S = 4;
const UPLOAD_INTERVAL_MS = 250;

const freshness = (answer: HealthAnswer) => answer.body.checks['origin:freshness'][0];

describeOnRuntimes('freshness of the canary object', (runtime) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack(
      runtime,
      { warn_age_seconds: String(WARN_S), max_age_seconds: String(MAX_S) },
      { uploaderIntervalMs: UPLOAD_INTERVAL_MS },
    );
  });
  afterAll(() => stack.close());

  it('stays pass past max_age_seconds while the uploader keeps writing', async () => {
    const first = await getHealth(stack.canary.url);
    await sleep(MAX_S * 1000 + 500);
    const later = await getHealth(stack.canary.url);

    expect([first.body.status, later.body.status]).toEqual(['pass', 'pass']);
    expect(freshness(later).sequence).toBeGreaterThan(freshness(first).sequence ?? Infinity);
  });

  it('uploader stopped → warn (stale) after warn_age_seconds, then 503 fail (stale) after max_age_seconds', async () => {
    await stack.uploader.stop();
    const last = await getHealth(stack.canary.url);
    const writtenAt = Date.parse(freshness(last).writtenAt ?? '');
    expect(Number.isFinite(writtenAt)).toBe(true);

    await sleep(writtenAt + WARN_S * 1000 + 300 - Date.now());
    const warned = await getHealth(stack.canary.url);
    await sleep(writtenAt + MAX_S * 1000 + 300 - Date.now());
    const failed = await getHealth(stack.canary.url);

    expect([warned.httpStatus, warned.body.status, warned.body.reason]).toEqual([200, 'warn', 'stale']);
    expect([failed.httpStatus, failed.body.status, failed.body.reason]).toEqual([503, 'fail', 'stale']);
    // The fetch itself kept succeeding: it is the age that failed, and the report says which object.
    expect(failed.origin).toMatchObject({ reason: 'ok', httpStatus: 200 });
    expect(freshness(failed).sequence).toBe(freshness(last).sequence);
  });
});
