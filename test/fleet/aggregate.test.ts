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
    { name: 'all operational', sites: [edgeOk, site('a', 'pass', 'ok', 'operational'), site('b', 'pass', 'ok', 'operational')], expected: 'operational' },
    { name: 'one of two shields down', sites: [edgeOk, site('a', 'fail', 'auth_failed', 'major_outage'), site('b', 'pass', 'ok', 'operational')], expected: 'partial_outage' },
    { name: 'every shield down, the edge fine: the usual mapping', sites: [edgeOk, site('a', 'fail', 'auth_failed', 'major_outage'), site('b', 'fail', 'timeout', 'major_outage')], expected: 'major_outage' },
    { name: 'the only shield down', sites: [edgeOk, site('a', 'fail', 'timeout', 'major_outage')], expected: 'major_outage' },
    { name: 'every shield down: the most severe of theirs', sites: [edgeOk, site('a', 'fail', 'served_from_cache', 'partial_outage'), site('b', 'fail', 'auth_failed', 'major_outage')], expected: 'major_outage' },
    { name: 'every shield down, only partially each', sites: [edgeOk, site('a', 'fail', 'served_from_cache', 'partial_outage'), site('b', 'fail', 'served_from_cache', 'partial_outage')], expected: 'partial_outage' },
    { name: 'the edge down, the shields fine: the shields speak', sites: [site(null, 'fail', 'auth_failed', 'major_outage'), site('a', 'pass', 'ok', 'operational')], expected: 'operational' },
    { name: 'the shield this POP runs on counts as a shield', sites: [site(null, 'fail', 'auth_failed', 'major_outage'), { ...site('a', 'fail', 'auth_failed', 'major_outage'), answeredBy: 'local' as const }], expected: 'major_outage' },
    { name: 'a stale shield is the writer\'s problem, not an outage', sites: [edgeOk, site('a', 'fail', 'stale', 'degraded_performance')], expected: 'degraded_performance' },
    { name: 'a shield that refused vouches for nothing', sites: [edgeOk, site('a', 'warn', 'unexpected_status', null), site('b', 'pass', 'ok', 'operational')], expected: 'operational' },
    { name: 'no shield vouching: null, whatever the edge says', sites: [edgeOk, site('a', 'warn', 'unexpected_status', null)], expected: null },
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
