/**
 * The incident on a timeline: both monitors poll on a fixed beat; the HMAC key is rotated at
 * `rotateAtMs` and restored at `restoreAtMs`; the run ends once both are green again after the
 * restore (or at `endAtMs`). Every observation is kept, and the detection times are measured
 * from the moment the emulator accepted the rotation.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { probeCanary, probeClassic, type CanaryObservation, type ClassicObservation, type Observation } from './monitors';

export interface IncidentPlan {
  rotateAtMs: number;
  restoreAtMs: number;
  /** Hard stop, even if nothing recovered. */
  endAtMs: number;
  pollMs: number;
  /**
   * Where polls fall in the beat: at `pollOffsetMs + n * pollMs`. Half a beat away from the key
   * changes is a monitor's average case; 0 would put a poll right on the change (the best case).
   */
  pollOffsetMs: number;
  /** How long both must stay green after the restore before the run ends. */
  settleMs: number;
  /** A timeline line even without a change, this often. */
  heartbeatMs: number;
}

export interface IncidentTargets {
  packageUrl: string;
  /** The URL of each classic poll, when it changes per poll (a cache-busting synthetic check); default packageUrl. */
  sentinelUrl?: () => string;
  healthUrl: string;
  rotateKey(): Promise<void>;
  restoreKeys(): Promise<void>;
}

export type TimelineEvent =
  | { kind: 'action'; at: number; action: 'rotate' | 'restore' }
  | { kind: 'change' | 'heartbeat'; at: number; classic: Observation; canary: CanaryObservation };

export interface MonitorVerdict {
  /** First failing answer after the rotation (and before the restore); null = never. */
  firstFailure: Observation | null;
  detectionMs: number | null;
  /** Answers received while the key was rotated, and how many of them were 200. */
  outageObservations: number;
  outageOk: number;
  /** First green answer after the restore; null = never. */
  recoveryMs: number | null;
}

export interface IncidentResult {
  rotatedAt: number | null;
  restoredAt: number | null;
  interrupted: boolean;
  classic: MonitorVerdict;
  canary: MonitorVerdict & { firstFailure: CanaryObservation | null };
  observations: { classic: ClassicObservation[]; canary: CanaryObservation[] };
}

export async function runIncident(
  targets: IncidentTargets,
  plan: IncidentPlan,
  onEvent: (event: TimelineEvent) => void,
  signal?: AbortSignal,
): Promise<IncidentResult> {
  const started = performance.now();
  const clock = () => performance.now() - started;
  const classic: ClassicObservation[] = [];
  const canary: CanaryObservation[] = [];
  let rotatedAt: number | null = null;
  let restoredAt: number | null = null;
  let lastPrinted: { classic: string; canary: string; at: number } | null = null;

  for (let tick = 0; !signal?.aborted; ) {
    // The key changes exactly on schedule; polls keep their own beat around it.
    const nextAction = rotatedAt === null ? plan.rotateAtMs : restoredAt === null ? plan.restoreAtMs : Infinity;
    const nextPoll = plan.pollOffsetMs + tick * plan.pollMs;
    if (nextAction <= nextPoll) {
      await sleepUntil(started + nextAction, signal);
      if (signal?.aborted) break;
      if (rotatedAt === null) {
        await targets.rotateKey();
        rotatedAt = clock();
        onEvent({ kind: 'action', at: rotatedAt, action: 'rotate' });
      } else {
        await targets.restoreKeys();
        restoredAt = clock();
        onEvent({ kind: 'action', at: restoredAt, action: 'restore' });
      }
      continue;
    }
    await sleepUntil(started + nextPoll, signal);
    tick++;
    if (signal?.aborted) break;
    const [seenClassic, seenCanary] = await Promise.all([probeClassic(targets.sentinelUrl?.() ?? targets.packageUrl, clock), probeCanary(targets.healthUrl, clock)]);
    classic.push(seenClassic);
    canary.push(seenCanary);
    const at = Math.max(seenClassic.at, seenCanary.at);
    const changed = !lastPrinted || lastPrinted.classic !== seenClassic.summary || lastPrinted.canary !== seenCanary.summary;
    if (changed || at - (lastPrinted?.at ?? 0) >= plan.heartbeatMs) {
      onEvent({ kind: changed ? 'change' : 'heartbeat', at, classic: seenClassic, canary: seenCanary });
      lastPrinted = { classic: seenClassic.summary, canary: seenCanary.summary, at };
    }
    if (clock() >= plan.endAtMs) break;
    if (restoredAt !== null) {
      const classicGreen = greenSince(classic, restoredAt);
      const canaryGreen = greenSince(canary, restoredAt);
      if (classicGreen !== null && canaryGreen !== null && clock() - Math.max(classicGreen, canaryGreen) >= plan.settleMs) break;
    }
  }

  return {
    rotatedAt,
    restoredAt,
    interrupted: signal?.aborted ?? false,
    classic: judge(classic, rotatedAt, restoredAt),
    canary: judge(canary, rotatedAt, restoredAt),
    observations: { classic, canary },
  };
}

/** The answers that arrived while the key was rotated: from the rotation until the restore (or the end). */
export function duringOutage<T extends Observation>(observations: readonly T[], rotatedAt: number | null, restoredAt: number | null): T[] {
  return observations.filter((o) => rotatedAt !== null && o.at >= rotatedAt && (restoredAt === null || o.at < restoredAt));
}

function judge<T extends Observation>(observations: T[], rotatedAt: number | null, restoredAt: number | null): MonitorVerdict & { firstFailure: T | null } {
  const outage = duringOutage(observations, rotatedAt, restoredAt);
  const firstFailure = outage.find((o) => !o.ok) ?? null;
  const recovered = restoredAt === null ? undefined : observations.find((o) => o.at >= restoredAt && o.ok);
  return {
    firstFailure,
    detectionMs: firstFailure && rotatedAt !== null ? firstFailure.at - rotatedAt : null,
    outageObservations: outage.length,
    outageOk: outage.filter((o) => o.ok).length,
    recoveryMs: recovered && restoredAt !== null ? recovered.at - restoredAt : null,
  };
}

/** When the current run of green answers after the restore began; null while failing. */
function greenSince(observations: Observation[], restoredAt: number): number | null {
  let since: number | null = null;
  for (const o of observations) {
    if (o.at < restoredAt) continue;
    since = o.ok ? (since ?? o.at) : null;
  }
  return since;
}

async function sleepUntil(when: number, signal?: AbortSignal): Promise<void> {
  const wait = when - performance.now();
  if (wait <= 0) return;
  try {
    await delay(wait, undefined, signal ? { signal } : {});
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}

/** The replay worked: the canary went red during the outage and green again after the restore. */
export function canaryCaughtIt(result: IncidentResult): boolean {
  return !result.interrupted && result.canary.firstFailure !== null && result.canary.recoveryMs !== null;
}
