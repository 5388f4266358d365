import { STATUSPAGE_STATUSES, type StatuspageStatus } from '../../src/core/types';

export function isStatuspageStatus(value: unknown): value is StatuspageStatus {
  return typeof value === 'string' && (STATUSPAGE_STATUSES as readonly string[]).includes(value);
}

/**
 * What one vantage point said. Only a `status` reading vouches for the files: an unreachable
 * canary, or one that reports its own configuration as unusable, is blind and says nothing.
 */
export type CanaryReading =
  | { url: string; kind: 'status'; status: StatuspageStatus; httpStatus: number; checkedAt: string | null }
  | { url: string; kind: 'unreachable'; problem: string }
  | { url: string; kind: 'misconfigured'; problem: string };

export type StatusReading = Extract<CanaryReading, { kind: 'status' }>;

/** One poll of every canary, reduced to a single status; null when every canary was blind. */
export interface Observation {
  status: StatuspageStatus | null;
  readings: CanaryReading[];
}

export function isBlind(observation: Observation): observation is Observation & { status: null } {
  return observation.status === null;
}

/**
 * The worst vouching reading wins. Blind canaries are ignored while any other answers, because one
 * broken vantage point is a problem of that vantage point, not of the files; when all are blind the
 * sync cannot tell an outage from its own blindness, so the status is null and the page is left alone.
 */
export function observe(readings: CanaryReading[]): Observation {
  let worst: StatuspageStatus | null = null;
  for (const reading of readings) {
    if (reading.kind !== 'status') continue;
    if (worst === null || severity(reading.status) > severity(worst)) worst = reading.status;
  }
  return { status: worst, readings };
}

export function severity(status: StatuspageStatus): number {
  return STATUSPAGE_STATUSES.indexOf(status);
}

/** A component's status as the API reports it: one of ours, or maintenance set by a person or a schedule. */
export type ComponentStatus = StatuspageStatus | 'under_maintenance';

export type DecisionAction =
  | 'changed'
  | 'unchanged'
  | 'would_change'
  | 'not_confirmed'
  | 'left_in_maintenance'
  | 'left_as_set'
  | 'blind';

/** What one sync step did and why; rendered as one output line. */
export interface Decision {
  pageId: string;
  componentId: string;
  action: DecisionAction;
  /** The component's status before this step; null when it was not read. */
  from: ComponentStatus | null;
  /** The status sent, or that would be sent in a dry run; null when nothing was due. */
  to: StatuspageStatus | null;
  /** The streak after this poll; null before any canary has vouched for a status. */
  streak: { status: StatuspageStatus; count: number } | null;
  confirm: number;
  /** This poll brought no check the streak had not counted already (the canary shared an earlier result). */
  repeat: boolean;
  /** What the sync last wrote to the component, when it knows (left_as_set explains itself with it). */
  lastWritten: StatuspageStatus | null;
  dryRun: boolean;
  observation: Observation;
}
