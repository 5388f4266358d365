/** The uploader of the stack: one write now, then the library's loop every interval until stopped. */
import type { Storage } from '@google-cloud/storage';
import { setTimeout as delay } from 'node:timers/promises';
import { runUploadLoop, writeCanary } from '../uploader';
import type { CanaryWriteError, WriteResult } from '../uploader';

export type UploadEvent = { kind: 'write'; result: WriteResult } | { kind: 'error'; error: CanaryWriteError };

export interface StackUploaderOptions {
  storage: Storage;
  bucket: string;
  object: string;
  writer: string;
  intervalMs: number;
  onEvent?: (event: UploadEvent) => void;
}

export interface StackUploader {
  /** The write made at start; the canary has something to read before the loop's first tick. */
  first: WriteResult;
  /** Writes once more now, outside the schedule (tests restore a deleted canary with it). */
  writeNow(): Promise<WriteResult>;
  /** Lets the write in flight finish and starts no new one. Idempotent. */
  stop(): Promise<void>;
}

/** Rejects (with nothing left running) when the first write fails. */
export async function startStackUploader(options: StackUploaderOptions): Promise<StackUploader> {
  const { storage, bucket, object, writer, intervalMs, onEvent } = options;
  // Shared by writeNow and the loop, so the stack's sequence never goes back, even after a deletion.
  const sequenceFloor = { highest: 0 };
  const writeNow = async (): Promise<WriteResult> => {
    const result = await writeCanary({ storage, bucket, object, writer, sequenceFloor });
    onEvent?.({ kind: 'write', result });
    return result;
  };
  const first = await writeNow();

  const controller = new AbortController();
  const { signal } = controller;
  const loop = (async () => {
    try {
      // The loop writes as soon as it starts; the first write was just made.
      await delay(intervalMs, undefined, { signal });
    } catch {
      return;
    }
    await runUploadLoop({
      storage, bucket, object, writer, intervalMs, signal, sequenceFloor,
      onWrite: (result) => onEvent?.({ kind: 'write', result }),
      onError: (error) => onEvent?.({ kind: 'error', error }),
    });
  })();

  return {
    first,
    writeNow,
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}
