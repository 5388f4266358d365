import { describe, expect, it } from 'vitest';
import type { CheckStatus, Reason, TargetResult } from '../../src/core/types';
import { buildReport, statuspageStatus } from '../../src/core/verdict';

function target(name: 'origin' | 'edge', fetchStatus: CheckStatus, freshStatus: CheckStatus = fetchStatus, reason: Reason = 'ok'): TargetResult {
  return {
    fetch: {
      target: name, componentId: 'gs://b/o', status: fetchStatus, reason: fetchStatus === 'fail' ? reason : 'ok',
      httpStatus: fetchStatus === 'fail' ? 403 : 200, errorCode: fetchStatus === 'fail' ? 'SignatureDoesNotMatch' : null,
      attempts: 1, durationMs: 41, time: '2026-11-26T00:40:01.002Z', detail: 'HTTP 403',
    },
    freshness: {
      target: name, status: freshStatus, reason: freshStatus === 'pass' ? 'ok' : fetchStatus === 'fail' ? reason : 'stale',
      ageSeconds: fetchStatus === 'fail' ? null : 12, writtenAt: null, sequence: 3, detail: 'age 12s',
    },
  };
}

function future(name: 'origin' | 'edge'): TargetResult {
  const result = target(name, 'pass', 'fail');
  return { ...result, freshness: { ...result.freshness, reason: 'future_dated', ageSeconds: -7200, detail: 'written_at is 7200s in the future' } };
}

const context = { pop: 'LHR', releaseId: '12', checkedAt: '2026-11-26T00:40:01.002Z', durationMs: 44, credential: { accessId: 'GOOG…WXYZ', fingerprint: '3f9a0c1b2d4e' } };

describe('statuspageStatus', () => {
  it.each([
    { name: 'all pass', results: [target('origin', 'pass'), target('edge', 'pass')], expected: 'operational' },
    { name: 'origin stale warn', results: [target('origin', 'pass', 'warn')], expected: 'degraded_performance' },
    { name: 'edge warn', results: [target('origin', 'pass'), target('edge', 'pass', 'warn')], expected: 'degraded_performance' },
    { name: 'only edge fails', results: [target('origin', 'pass'), target('edge', 'fail', 'fail', 'served_from_cache')], expected: 'partial_outage' },
    { name: 'origin fails', results: [target('origin', 'fail', 'fail', 'auth_failed'), target('edge', 'pass')], expected: 'major_outage' },
    { name: 'origin stale past max: a writer problem, reads still work', results: [target('origin', 'pass', 'fail')], expected: 'degraded_performance' },
    { name: 'origin and edge stale past max', results: [target('origin', 'pass', 'fail'), target('edge', 'pass', 'fail')], expected: 'degraded_performance' },
    { name: 'origin far in the future', results: [future('origin')], expected: 'degraded_performance' },
    { name: 'stale but the edge fails for its own reason', results: [target('origin', 'pass', 'fail'), target('edge', 'fail', 'fail', 'served_from_cache')], expected: 'partial_outage' },
    { name: 'stale origin does not hide an origin fetch failure', results: [target('origin', 'fail', 'fail', 'auth_failed')], expected: 'major_outage' },
    { name: 'both fail', results: [target('origin', 'fail', 'fail', 'auth_failed'), target('edge', 'fail', 'fail', 'auth_failed')], expected: 'major_outage' },
  ])('$name -> $expected', ({ results, expected }) => {
    expect(statuspageStatus(results)).toBe(expected);
  });
});

describe('buildReport', () => {
  it('takes the reason of the first worst check, origin first', () => {
    const report = buildReport([target('origin', 'pass', 'warn'), target('edge', 'fail', 'fail', 'served_by_fallback')], context);
    expect(report).toMatchObject({ status: 'fail', reason: 'served_by_fallback', httpStatus: 503, statuspage: 'partial_outage' });
  });
  it('warn answers 200', () => {
    expect(buildReport([target('origin', 'pass', 'warn')], context)).toMatchObject({ status: 'warn', reason: 'stale', httpStatus: 200 });
  });
});
