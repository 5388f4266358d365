import { afterAll, beforeAll, expect, it } from 'vitest';
import { canaryCaughtIt, runIncident, type IncidentResult, type TimelineEvent } from '../../scripts/demo/scenario';
import { startIncidentStack, type IncidentStack } from '../../scripts/demo/stack';
import { describeOnRuntimes } from '../support/runtimes';

const RESULT_TTL_MS = 1000;

describeOnRuntimes('the June 2022 incident, replayed: HMAC secret rotated on the bucket behind a caching CDN', (runtime) => {
  let stack: IncidentStack;
  let result: IncidentResult;
  const events: TimelineEvent[] = [];

  beforeAll(async () => {
    stack = await startIncidentStack({ runtime, uploadIntervalMs: 2000, resultTtlMs: RESULT_TTL_MS, deadlineMs: 2000 });
    // The outage lasts 4 s: even a detection at the promised bound (result_ttl_ms + 1 s) leaves
    // about 10 polls of it for the "stays red" test.
    result = await runIncident(
      stack,
      { rotateAtMs: 2000, restoreAtMs: 6000, endAtMs: 16_000, pollMs: 200, pollOffsetMs: 100, settleMs: 1000, heartbeatMs: 5000 },
      (event) => events.push(event),
    );
  }, 30_000);
  afterAll(() => stack?.close());

  it('keeps the classic monitor of a cached package file green for the whole run', () => {
    expect(result.observations.classic.length).toBeGreaterThan(20);
    expect(result.observations.classic.filter((o) => o.summary !== '200 (cache HIT)')).toEqual([]);
    expect(result.classic.firstFailure).toBeNull();
    expect(result.classic.outageOk).toBe(result.classic.outageObservations);
  });

  it(`turns the canary red with auth_failed SignatureDoesNotMatch within result_ttl_ms + 1 s of the rotation`, () => {
    expect(result.rotatedAt).not.toBeNull();
    expect(result.canary.firstFailure).toMatchObject({
      httpStatus: 503, status: 'fail', reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch',
      statuspage: 'major_outage', failing: ['origin', 'edge'],
    });
    expect(result.canary.detectionMs).toBeLessThanOrEqual(RESULT_TTL_MS + 1000);
  });

  it('stays red for the rest of the outage: every answer after detection is the same 503', () => {
    const { firstFailure } = result.canary;
    const rest = result.observations.canary.filter((o) => firstFailure && o.at >= firstFailure.at && o.at < (result.restoredAt ?? Infinity));
    expect(rest.length).toBeGreaterThan(5);
    expect(rest.filter((o) => o.ok)).toEqual([]);
  });

  it('recovers after the key is restored: the canary is green again and so is the classic monitor', () => {
    expect(result.restoredAt).not.toBeNull();
    expect(result.canary.recoveryMs).toBeLessThanOrEqual(RESULT_TTL_MS + 1000);
    expect(result.observations.canary.at(-1)).toMatchObject({ ok: true, reason: 'ok', statuspage: 'operational' });
    expect(result.observations.classic.at(-1)?.ok).toBe(true);
    expect(canaryCaughtIt(result)).toBe(true);
  });

  it('prints only changes on the timeline: green, the rotation, red, the restore, green', () => {
    const shape = events.filter((e) => e.kind !== 'heartbeat').map((e) => (e.kind === 'action' ? e.action : e.canary.ok ? 'green' : 'red'));
    expect(shape).toEqual(['green', 'rotate', 'red', 'restore', 'green']);
  });
});
