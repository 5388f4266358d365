/**
 * One attempt raced against the time left. The deadline is a race, not a cancellation the
 * platform understands (Compute's fetch takes no AbortSignal), so when the deadline wins the
 * attempt is abandoned: it is told to let go of its request and body, and its result is ignored.
 */
import { createAbandonment, type Abandonment } from './abandon';
import { BackendError, type Reason } from './types';
import type { CanaryContent } from './canary';

export interface Attempt {
  reason: Reason;
  httpStatus: number | null;
  errorCode: string | null;
  detail: string;
  content: CanaryContent | null;
}

/** A finished attempt, or one the deadline cut off (then `attempt` is the `timeout` it amounts to). */
export type AttemptResult = { cutOff: false; attempt: Attempt } | { cutOff: true; attempt: Attempt };

export function failure(reason: Reason, httpStatus: number | null, errorCode: string | null, detail: string): Attempt {
  return { reason, httpStatus, errorCode, detail, content: null };
}

export async function attemptWithin(remainingMs: number, run: (abandonment: Abandonment) => Promise<Attempt>): Promise<AttemptResult> {
  const cutOff: AttemptResult = { cutOff: true, attempt: failure('timeout', null, null, 'no complete answer before the deadline') };
  // A between-bytes timeout surfaces while the body is read, so the kind is taken from whatever threw.
  const raced = await raceDeadline(remainingMs, (abandonment) => run(abandonment).catch((error: unknown) => {
    const reason: Reason = error instanceof BackendError ? error.kind : 'connect_failed';
    return failure(reason, null, null, describeError(error));
  }));
  return raced.cutOff ? cutOff : { cutOff: false, attempt: raced.value };
}

/**
 * Runs `run` against the time left; when the deadline wins, the run is abandoned (told to let go
 * of its request and body) and its eventual result ignored. `run` must not reject.
 */
export async function raceDeadline<T>(remainingMs: number, run: (abandonment: Abandonment) => Promise<T>): Promise<{ cutOff: true } | { cutOff: false; value: T }> {
  if (remainingMs <= 0) return { cutOff: true };
  const abandonment = createAbandonment();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<{ cutOff: true }>((resolve) => {
    timer = setTimeout(() => resolve({ cutOff: true }), remainingMs);
  });
  try {
    const result = await Promise.race([run(abandonment).then((value) => ({ cutOff: false as const, value })), deadline]);
    if (result.cutOff) abandonment.abandon();
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** An error as one printable line, short enough for a report. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[^\x20-\x7e]/g, '?').slice(0, 160);
}
