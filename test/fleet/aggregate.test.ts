/** The fleet's Statuspage status and sentence from its sites, as a table. */
import { describe, expect, it } from 'vitest';
import { describeFleet, fleetStatuspage } from '../../src/core/fleet/aggregate';
import type { FleetSite, StatuspageStatus } from '../../src/core/types';

function site(shield: string | null, status: FleetSite['status'], reason: FleetSite['reason'], statuspage: StatuspageStatus | null, pop: string | null = 'POP'): FleetSite {
  return { shield, answeredBy: shield === null ? 'local' : 'remote', pop, status, reason, httpStatus: null, durationMs: 1, output: '', checkedAt: null, action: '', statuspage };
}

const edgeOk = site(null, 'pass', 'ok', 'operational', 'LHR');

describe('fleet Statuspage status', () => {
  it.each([
    { name: 'all operational', sites: [edgeOk, site('a', 'pass', 'ok', 'operational')], expected: 'operational' },
    { name: 'one shield down', sites: [edgeOk, site('a', 'fail', 'auth_failed', 'major_outage')], expected: 'partial_outage' },
    { name: 'every site down: the most severe of theirs', sites: [site(null, 'fail', 'served_from_cache', 'partial_outage'), site('a', 'fail', 'auth_failed', 'major_outage')], expected: 'major_outage' },
    { name: 'every site down, only partially each', sites: [site(null, 'fail', 'served_from_cache', 'partial_outage'), site('a', 'fail', 'served_from_cache', 'partial_outage')], expected: 'partial_outage' },
    { name: 'a stale shield is the writer\'s problem, not an outage', sites: [edgeOk, site('a', 'fail', 'stale', 'degraded_performance')], expected: 'degraded_performance' },
    { name: 'a shield that refused vouches for nothing', sites: [edgeOk, site('a', 'fail', 'unexpected_status', null)], expected: 'operational' },
    { name: 'nothing vouches', sites: [site(null, 'fail', 'misconfigured', null)], expected: null },
  ])('$name → $expected', ({ sites, expected }) => {
    expect(fleetStatuspage(sites)).toBe(expected);
  });
});

describe('fleet sentence', () => {
  it('groups by status then reason, worst first, counting shields and naming the edge', () => {
    expect(describeFleet([
      site(null, 'warn', 'stale', 'degraded_performance', 'LHR'),
      site('a', 'fail', 'timeout', 'major_outage', null),
      site('b', 'fail', 'auth_failed', 'major_outage', 'B'),
      site('c', 'fail', 'timeout', 'major_outage', null),
      site('d', 'pass', 'ok', 'operational', 'D'),
    ])).toBe('timeout at 2/4 shields (a, c); auth_failed at 1/4 shields (b via B); stale at the edge (LHR); ok at 1/4 shields (d via D)');
  });
});
