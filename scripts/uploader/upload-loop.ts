/** Writes the canary every interval until the signal aborts; a failed write waits for the next tick. */
import { setTimeout as delay } from 'node:timers/promises';
import { CanaryWriteError, UsageError } from './errors';
import { DEFAULT_BACKOFF_MS, writeCanary } from './write-canary';
import type { WriteCanaryOptions, WriteResult } from './write-canary';
import { toWriteError } from './write-error';

export interface UploadLoopOptions extends WriteCanaryOptions {
  /** From the start of one write to the start of the next; a slow write shortens the wait. */
  intervalMs: number;
  /** Abort to stop: the write in flight finishes, no new one starts. */
  signal: AbortSignal;
  onWrite?: (result: WriteResult) => void;
  onError?: (error: CanaryWriteError) => void;
}

export interface LoopSummary {
  writes: number;
  failures: number;
}

/** Resolves once stopped; rejects only for a name it refuses (UsageError), before any write. */
export async function runUploadLoop(options: UploadLoopOptions): Promise<LoopSummary> {
  const { signal, intervalMs, onWrite, onError } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new UsageError(`intervalMs must be a number >= 0, got ${intervalMs}`);
  const summary: LoopSummary = { writes: 0, failures: 0 };
  // One floor for every tick: after the object is deleted the next write continues the sequence.
  const write = { ...options, sequenceFloor: options.sequenceFloor ?? { highest: 0 } };
  while (!signal.aborted) {
    const tickStarted = performance.now();
    let wait = intervalMs;
    try {
      const result = await writeCanary(write);
      summary.writes++;
      onWrite?.(result);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      summary.failures++;
      const target = `gs://${options.bucket}/${options.object}`;
      onError?.(toWriteError(error, { attempts: 1, endpoint: options.storage.apiEndpoint, target }));
      // A failure that comes back at once (a refused write) must not turn a short interval into a busy loop.
      wait = Math.max(intervalMs, DEFAULT_BACKOFF_MS);
    }
    await sleepUnlessAborted(wait - (performance.now() - tickStarted), signal);
  }
  return summary;
}

async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
