/** Writes the canary every interval until the signal aborts; a failed write waits for the next tick. */
import { setTimeout as delay } from 'node:timers/promises';
import { CanaryWriteError, UsageError } from './errors';
import { gcsBackend } from './gcs-backend';
import { DEFAULT_BACKOFF_MS, writeCanary } from './write-canary';
import type { WriteCanaryOptions, WriteResult } from './write-canary';
import { toWriteError } from './write-error';

export interface LoopTiming {
  /** From the start of one tick to the start of the next; a slow tick shortens the wait. */
  intervalMs: number;
  /** Abort to stop: the tick in flight finishes, no new one starts. */
  signal: AbortSignal;
}

export interface UploadLoopOptions extends WriteCanaryOptions, LoopTiming {
  onWrite?: (result: WriteResult) => void;
  onError?: (error: CanaryWriteError) => void;
}

export interface LoopSummary {
  writes: number;
  failures: number;
}

/**
 * Runs `tick` (true: everything written) every interval; resolves once stopped, rejects only for a
 * UsageError (a name it refuses). A failed tick waits at least the backoff, so a failure that comes
 * back at once cannot turn a short interval into a busy loop.
 */
export async function runTicks({ intervalMs, signal }: LoopTiming, tick: () => Promise<boolean>): Promise<LoopSummary> {
  if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new UsageError(`intervalMs must be a number >= 0, got ${intervalMs}`);
  const summary: LoopSummary = { writes: 0, failures: 0 };
  while (!signal.aborted) {
    const tickStarted = performance.now();
    const ok = await tick();
    if (ok) summary.writes++;
    else summary.failures++;
    const wait = ok ? intervalMs : Math.max(intervalMs, DEFAULT_BACKOFF_MS);
    await sleepUnlessAborted(wait - (performance.now() - tickStarted), signal);
  }
  return summary;
}

export async function runUploadLoop(options: UploadLoopOptions): Promise<LoopSummary> {
  const { onWrite, onError } = options;
  const backend = options.backend ?? (options.storage ? gcsBackend(options.storage, options.bucket, options.object) : null);
  // One floor for every tick: after the object is deleted the next write continues the sequence.
  // And one backend: each tick writes through the one resolved here instead of building its own.
  const write = { ...options, ...(backend === null ? {} : { backend }), sequenceFloor: options.sequenceFloor ?? { highest: 0 } };
  return runTicks(options, async () => {
    try {
      // Awaited first: `onWrite?.(await …)` would skip the write itself when onWrite is absent.
      const result = await writeCanary(write);
      onWrite?.(result);
      return true;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      onError?.(toWriteError(error, { attempts: 1, endpoint: backend?.endpoint ?? '', target: backend?.target ?? `${options.bucket}/${options.object}` }));
      return false;
    }
  });
}

async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
