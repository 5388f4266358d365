import { describe, expect, it } from 'vitest';
import type { StatuspageStatus } from '../../src/core/types';
import type { CanaryReading } from '../../scripts/statuspage/decide';
import { advanceStreak, isConfirmed, observe } from '../../scripts/statuspage/decide';

const up = (url: string, status: StatuspageStatus): CanaryReading => ({ url, reachable: true, status, httpStatus: 200 });
const down = (url: string): CanaryReading => ({ url, reachable: false, problem: 'connect ECONNREFUSED' });

describe('observe: the worst reachable vantage point wins', () => {
  it.each([
    { name: 'one operational canary', readings: [up('a', 'operational')], status: 'operational', allUnreachable: false },
    { name: 'worst of two', readings: [up('a', 'operational'), up('b', 'major_outage')], status: 'major_outage', allUnreachable: false },
    { name: 'degraded beats operational', readings: [up('a', 'degraded_performance'), up('b', 'operational')], status: 'degraded_performance', allUnreachable: false },
    { name: 'partial beats degraded', readings: [up('a', 'degraded_performance'), up('b', 'partial_outage')], status: 'partial_outage', allUnreachable: false },
    { name: 'an unreachable canary is ignored', readings: [down('a'), up('b', 'operational')], status: 'operational', allUnreachable: false },
    { name: 'every canary unreachable is an outage', readings: [down('a'), down('b')], status: 'major_outage', allUnreachable: true },
  ] as const)('$name -> $status', ({ readings, status, allUnreachable }) => {
    const observation = observe([...readings]);
    expect(observation.status).toBe(status);
    expect(observation.allUnreachable).toBe(allUnreachable);
  });
});

describe('advanceStreak: the same status in a row', () => {
  it('counts repeats and restarts on a change', () => {
    let streak = advanceStreak(null, 'operational');
    expect(streak).toEqual({ status: 'operational', count: 1 });
    streak = advanceStreak(streak, 'major_outage');
    expect(streak).toEqual({ status: 'major_outage', count: 1 });
    expect(isConfirmed(streak, 2)).toBe(false);
    streak = advanceStreak(streak, 'major_outage');
    expect(streak).toEqual({ status: 'major_outage', count: 2 });
    expect(isConfirmed(streak, 2)).toBe(true);
  });

  it('confirms at once with --confirm 1', () => {
    expect(isConfirmed(advanceStreak(null, 'partial_outage'), 1)).toBe(true);
  });
});
