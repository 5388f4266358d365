import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/core/render/text';
import type { Report } from '../../src/core/types';
import { SAMPLE_REPORTS, failAuthReport, misconfiguredReport, passingResult, passReport, staleOriginCachedEdgeReport, warnStaleReport } from '../fixtures/reports';

const lines = (report: Report) => renderText(report).split('\n');

describe('renderText', () => {
  it('headline, since when, what to do, then one line per check', () => {
    expect(lines(failAuthReport)).toEqual([
      'FAIL edge-canary auth_failed pop=LHR checked=2026-11-26T00:40:01.002Z',
      'failing since 00:28 UTC (12 min), before that passing',
      'action: the bucket rejects this secret: compare fingerprint 3f9a0c1b2d4e with the intended one: put it in ' +
        'CANARY_HMAC_ACCESS_ID/CANARY_HMAC_SECRET and run npm run verify -- --bucket canary-bucket --object edge-canary.json ' +
        '--signing goog4; if production holds the same secret, production is failing too',
      'FAIL origin auth_failed 403 SignatureDoesNotMatch 42ms',
      'FAIL origin freshness skipped (auth_failed)',
      'credential GOOG…WXYZ fingerprint 3f9a0c1b2d4e',
      'statuspage major_outage release 42',
      '',
    ]);
  });

  it.each(SAMPLE_REPORTS.filter(({ report }) => report.configErrors.length === 0 && !report.pop.includes('\n')))('$name: every line but an action fits 80 columns', ({ report }) => {
    for (const line of lines(report).filter((l) => !l.trimStart().startsWith('action: '))) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it.each(SAMPLE_REPORTS)('$name: only the headline can start with "PASS edge-canary" or "WARN edge-canary" (check_http matches per line)', ({ report }) => {
    const [headline, ...rest] = lines(report);
    expect(headline!.startsWith(`${report.status.toUpperCase()} edge-canary `)).toBe(true);
    for (const line of rest) expect(line).not.toMatch(/^(PASS|WARN) edge-canary /);
  });

  it('a misconfigured canary maps to no Statuspage status: it cannot vouch for anything', () => {
    expect(renderText(misconfiguredReport)).toContain('\nstatuspage none (the canary cannot vouch for anything) release ');
  });

  it('a pass says so and needs nothing', () => {
    expect(lines(passReport).slice(0, 3)).toEqual([
      'PASS edge-canary ok pop=LHR checked=2026-11-26T00:40:01.002Z',
      'passing since 2026-11-25 21:05 UTC (3 h 35 min), before that failing',
      'action: none needed',
    ]);
  });

  it.each([
    { reason: 'invalid_content' as const, detail: 'kind is not "edge-canary"' },
    { reason: 'integrity_mismatch' as const, detail: 'crc32c 1c291ca3 != x-goog-hash 00000000' },
    { reason: 'served_from_cache' as const, detail: 'Age: 31' },
  ])('a failed 200 names its evidence: $reason', ({ reason, detail }) => {
    const report: Report = {
      ...failAuthReport, reason,
      results: [passingResult('origin', {
        fetch: { status: 'fail', reason, httpStatus: 200, detail },
        freshness: { status: 'fail', reason, ageSeconds: null, writtenAt: null, sequence: null, detail: 'no canary object to judge' },
      })],
    };
    expect(lines(report)).toContain(`FAIL origin ${reason} 200 42ms (${detail})`);
  });

  it('a stale canary names its age and the limit it passed', () => {
    expect(lines(warnStaleReport)).toContain('WARN origin freshness stale age=412s seq=1734 (age 412s > warn 300s)');
  });

  it('a second failing check gets its own action under it; the headline one is not repeated', () => {
    const text = lines(staleOriginCachedEdgeReport);
    expect(text[2]).toMatch(/^action: production answered the canary from its cache \(Age: 31\)/);
    const stale = text.indexOf('WARN origin freshness stale age=412s seq=1734 (age 412s > warn 300s)');
    expect(text[stale + 1]).toMatch(/^ {2}action: the canary was written 6 min 52 s ago/);
    expect(text.filter((line) => line.includes('from its cache'))).toHaveLength(1);
  });

  it.each([
    { since: null, expected: 'failing; since when is unknown (this POP\'s status memory is unavailable)' },
    { since: { since: '2026-11-26T00:39:58.000Z', previous: null }, expected: 'failing since at least 00:39 UTC (3 s): this POP remembers no earlier status' },
    { since: { since: '2026-11-24T23:10:00.000Z', previous: 'warn' as const }, expected: 'failing since 2026-11-24 23:10 UTC (25 h 30 min), before that warning' },
  ])('since: $expected', ({ since, expected }) => {
    expect(lines({ ...failAuthReport, since })[1]).toBe(expected);
  });
});
