/**
 * Confirmation counts checks, not readings. A canary coalesces its deep check for result_ttl_ms
 * and every answer in that window carries the same `checkedAt`: polling it twice is reading one
 * check twice. So a poll advances the streak only when it brings a check not counted before.
 */
import type { StatuspageStatus } from '../../src/core/types';
import type { Observation } from './decide';

/** How many independent checks in a row have shown the same status. */
export interface Streak {
  status: StatuspageStatus;
  count: number;
}

export interface StreakTracker {
  /** Counts the poll if it is a new check; returns whether it was. Blind polls are never counted. */
  count(observation: Observation): boolean;
  current(): Streak | null;
}

export function createStreakTracker(): StreakTracker {
  let streak: Streak | null = null;
  /** The `checkedAt` last counted, per canary URL. */
  const counted = new Map<string, string>();
  return {
    count(observation) {
      const { status } = observation;
      if (status === null) return false;
      // Only the readings that show the observed status can confirm it.
      const witnesses = observation.readings.filter((reading) => reading.kind === 'status' && reading.status === status);
      const isNew = witnesses.some((reading) => reading.kind === 'status' && (reading.checkedAt === null || counted.get(reading.url) !== reading.checkedAt));
      for (const reading of observation.readings) {
        if (reading.kind === 'status' && reading.checkedAt !== null) counted.set(reading.url, reading.checkedAt);
      }
      if (!isNew) return false;
      streak = streak !== null && streak.status === status ? { status, count: streak.count + 1 } : { status, count: 1 };
      return true;
    },
    current: () => streak,
  };
}

export function isConfirmed(streak: Streak | null, confirm: number): streak is Streak {
  return streak !== null && streak.count >= confirm;
}
