import { describe, expect, it } from 'vitest';
import type { StatuspageStatus } from '../../src/core/types';
import type { CanaryReading } from '../../scripts/statuspage/decide';
import { observe } from '../../scripts/statuspage/decide';
import { chooseMove, EMPTY_MEMORY, remember } from '../../scripts/statuspage/edge-trigger';
import { createStreakTracker, isConfirmed } from '../../scripts/statuspage/streak';

const up = (url: string, status: StatuspageStatus, checkedAt: string | null = null): CanaryReading => ({ url, kind: 'status', status, httpStatus: 200, checkedAt });
const down = (url: string): CanaryReading => ({ url, kind: 'unreachable', problem: 'connect ECONNREFUSED' });
const misconfigured = (url: string): CanaryReading => ({ url, kind: 'misconfigured', problem: 'the canary reports misconfigured' });

describe('observe: the worst vouching vantage point wins', () => {
  it.each([
    { name: 'one operational canary', readings: [up('a', 'operational')], status: 'operational' },
    { name: 'worst of two', readings: [up('a', 'operational'), up('b', 'major_outage')], status: 'major_outage' },
    { name: 'degraded beats operational', readings: [up('a', 'degraded_performance'), up('b', 'operational')], status: 'degraded_performance' },
    { name: 'partial beats degraded', readings: [up('a', 'degraded_performance'), up('b', 'partial_outage')], status: 'partial_outage' },
    { name: 'an unreachable canary is ignored', readings: [down('a'), up('b', 'operational')], status: 'operational' },
    { name: 'a misconfigured canary is ignored', readings: [misconfigured('a'), up('b', 'operational')], status: 'operational' },
    { name: 'every canary unreachable: blind, not an outage', readings: [down('a'), down('b')], status: null },
    { name: 'unreachable and misconfigured: blind', readings: [down('a'), misconfigured('b')], status: null },
  ] as const)('$name -> $status', ({ readings, status }) => {
    expect(observe([...readings]).status).toBe(status);
  });
});

describe('the streak counts independent checks, not readings', () => {
  it('counts a new check per poll and restarts on a change', () => {
    const streak = createStreakTracker();
    expect(streak.count(observe([up('a', 'operational', 't1')]))).toBe(true);
    expect(streak.current()).toEqual({ status: 'operational', count: 1 });
    streak.count(observe([up('a', 'major_outage', 't2')]));
    expect(streak.current()).toEqual({ status: 'major_outage', count: 1 });
    expect(isConfirmed(streak.current(), 2)).toBe(false);
    streak.count(observe([up('a', 'major_outage', 't3')]));
    expect(streak.current()).toEqual({ status: 'major_outage', count: 2 });
    expect(isConfirmed(streak.current(), 2)).toBe(true);
  });

  it('counts the same checkedAt of one canary once (a shared result read twice)', () => {
    const streak = createStreakTracker();
    expect(streak.count(observe([up('a', 'major_outage', 't1')]))).toBe(true);
    expect(streak.count(observe([up('a', 'major_outage', 't1')]))).toBe(false);
    expect(streak.current()).toEqual({ status: 'major_outage', count: 1 });
    expect(streak.count(observe([up('a', 'major_outage', 't2')]))).toBe(true);
    expect(streak.current()).toEqual({ status: 'major_outage', count: 2 });
  });

  it('the same checkedAt at two canaries is two checks (each POP checks for itself)', () => {
    const streak = createStreakTracker();
    streak.count(observe([up('a', 'major_outage', 't1'), down('b')]));
    expect(streak.count(observe([up('a', 'major_outage', 't1'), up('b', 'major_outage', 't1')]))).toBe(true);
    expect(streak.current()).toEqual({ status: 'major_outage', count: 2 });
  });

  it('a new check of another status does not confirm the old reading of the worst one', () => {
    const streak = createStreakTracker();
    streak.count(observe([up('a', 'major_outage', 't1'), up('b', 'operational', 't1')]));
    expect(streak.count(observe([up('a', 'major_outage', 't1'), up('b', 'operational', 't2')]))).toBe(false);
    expect(streak.current()).toEqual({ status: 'major_outage', count: 1 });
  });

  it('a canary without checkedAt counts every reading (nothing to tell them apart by)', () => {
    const streak = createStreakTracker();
    streak.count(observe([up('a', 'partial_outage')]));
    streak.count(observe([up('a', 'partial_outage')]));
    expect(streak.current()).toEqual({ status: 'partial_outage', count: 2 });
  });

  it('a blind poll neither counts nor breaks the streak', () => {
    const streak = createStreakTracker();
    streak.count(observe([up('a', 'major_outage', 't1')]));
    expect(streak.count(observe([down('a')]))).toBe(false);
    expect(streak.current()).toEqual({ status: 'major_outage', count: 1 });
  });
});

describe('chooseMove: edge-triggered, and people win until the status changes', () => {
  const wrote = (status: StatuspageStatus) => remember(EMPTY_MEMORY, status, true);
  it.each([
    { name: 'already showing it', confirmed: 'major_outage', current: 'major_outage', memory: wrote('operational'), move: 'unchanged' },
    { name: 'first confirmation (no memory) is a change', confirmed: 'major_outage', current: 'operational', memory: EMPTY_MEMORY, move: 'write' },
    { name: 'the canaries saw a change', confirmed: 'operational', current: 'major_outage', memory: wrote('major_outage'), move: 'write' },
    { name: 'set by hand, canaries unchanged', confirmed: 'degraded_performance', current: 'major_outage', memory: wrote('degraded_performance'), move: 'left_as_set' },
    {
      name: 'still the value the sync wrote (after maintenance was lifted)', confirmed: 'major_outage', current: 'operational',
      memory: remember(wrote('operational'), 'major_outage', false), move: 'write',
    },
    { name: 'maintenance', confirmed: 'major_outage', current: 'under_maintenance', memory: wrote('operational'), move: 'left_in_maintenance' },
  ] as const)('$name -> $move', ({ confirmed, current, memory, move }) => {
    expect(chooseMove(confirmed, current, memory)).toBe(move);
  });
});
