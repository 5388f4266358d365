import type { StatuspageStatus } from '../../src/core/types';

/** Best to worst: the index is the severity. */
export const STATUSPAGE_STATUSES: readonly StatuspageStatus[] = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

export function isStatuspageStatus(value: unknown): value is StatuspageStatus {
  return typeof value === 'string' && (STATUSPAGE_STATUSES as readonly string[]).includes(value);
}

/** What one vantage point said; an unreachable canary carries why. */
export type CanaryReading =
  | { url: string; reachable: true; status: StatuspageStatus; httpStatus: number }
  | { url: string; reachable: false; problem: string };

/** One poll of every canary, reduced to a single status. */
export interface Observation {
  status: StatuspageStatus;
  /** True when no canary answered: the status is then major_outage by rule, not by report. */
  allUnreachable: boolean;
  readings: CanaryReading[];
}

/**
 * The worst reachable reading wins. Unreachable canaries are ignored while any other answers,
 * because one broken vantage point is a problem of that vantage point, not of the service; when
 * none answers we cannot tell the two apart and report the outage.
 */
export function observe(readings: CanaryReading[]): Observation {
  let worst: StatuspageStatus | null = null;
  for (const reading of readings) {
    if (!reading.reachable) continue;
    if (worst === null || severity(reading.status) > severity(worst)) worst = reading.status;
  }
  return worst === null
    ? { status: 'major_outage', allUnreachable: true, readings }
    : { status: worst, allUnreachable: false, readings };
}

function severity(status: StatuspageStatus): number {
  return STATUSPAGE_STATUSES.indexOf(status);
}

/** How many polls in a row have produced the same status. */
export interface Streak {
  status: StatuspageStatus;
  count: number;
}

export function advanceStreak(previous: Streak | null, status: StatuspageStatus): Streak {
  return previous !== null && previous.status === status
    ? { status, count: previous.count + 1 }
    : { status, count: 1 };
}

export function isConfirmed(streak: Streak, confirm: number): boolean {
  return streak.count >= confirm;
}

/** A component's status as the API reports it: one of ours, or maintenance set by a person or a schedule. */
export type ComponentStatus = StatuspageStatus | 'under_maintenance';

export type DecisionAction = 'changed' | 'unchanged' | 'would_change' | 'not_confirmed' | 'left_in_maintenance';

/** What one sync step did and why; rendered as one output line. */
export interface Decision {
  pageId: string;
  componentId: string;
  action: DecisionAction;
  /** The component's status before this step; null when it was not read. */
  from: ComponentStatus | null;
  /** The status sent, or that would be sent in a dry run; null when nothing was due. */
  to: StatuspageStatus | null;
  streak: Streak;
  confirm: number;
  dryRun: boolean;
  observation: Observation;
}
