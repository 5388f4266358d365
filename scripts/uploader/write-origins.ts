/**
 * One tick over every origin: read all of them, then write the same `sequence` (the highest any
 * origin or this uploader has seen, plus one) and the same `written_at` to each, conditionally.
 * Origins are written in parallel and independently: one failing never stops the others.
 */
import type { Storage } from '@google-cloud/storage';
import type { CanaryWriteError } from './errors';
import { UsageError } from './errors';
import { gcsBackend } from './gcs-backend';
import type { OriginBackend } from './origin-backend';
import type { UploadOrigin } from './origins-file';
import { s3Backend } from './s3-backend';
import { createS3Client, s3EndpointOf } from './s3-origin-client';
import { writeCanary } from './write-canary';
import type { SequenceFloor, WriteCanaryOptions, WriteResult } from './write-canary';
import { toWriteError } from './write-error';

export interface OriginWriter {
  origin: UploadOrigin;
  backend: OriginBackend;
}

export type OriginOutcome =
  | { name: string; target: string; ok: true; result: WriteResult }
  | { name: string; target: string; ok: false; error: CanaryWriteError };

export interface OriginsTick {
  /** The sequence planned for every origin (one may differ if another writer raced it). */
  sequence: number;
  writtenAt: string;
  outcomes: OriginOutcome[];
}

export type OriginsWriteOptions = Pick<WriteCanaryOptions, 'writer' | 'now' | 'attempts' | 'backoffMs' | 'onNotice' | 'force'> & {
  writers: readonly OriginWriter[];
  /** Shared by the ticks of a loop, so no origin is ever written a lower sequence. */
  sequenceFloor?: SequenceFloor;
};

export interface BackendFactoryOptions {
  storage: Storage;
  endpoint?: string;
  env: NodeJS.ProcessEnv;
  onNotice?: (message: string) => void;
}

/** GCS origins share the Storage client; each S3-compatible origin gets its own S3 client and key. */
export function originWriters(origins: readonly UploadOrigin[], options: BackendFactoryOptions): OriginWriter[] {
  return origins.map((origin) => {
    if (origin.provider === 'gcs') return { origin, backend: gcsBackend(options.storage, origin.bucket, origin.object) };
    const client = createS3Client(origin, { env: options.env, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
    const target = { bucket: origin.bucket, object: origin.object, provider: origin.provider, host: origin.host, endpoint: s3EndpointOf(origin, options.endpoint) };
    return { origin, backend: s3Backend(client, target, options.onNotice && ((message) => options.onNotice?.(`origin ${origin.name}: ${message}`))) };
  });
}

async function highestSequence(writers: readonly OriginWriter[]): Promise<number> {
  // An origin that cannot be read here still gets its own read (with retries) inside writeCanary.
  const currents = await Promise.all(writers.map((w) => w.backend.readCurrent().catch(() => null)));
  return Math.max(0, ...currents.map((c) => (c?.state === 'canary' ? c.sequence : 0)));
}

export async function writeOrigins(options: OriginsWriteOptions): Promise<OriginsTick> {
  const floor = options.sequenceFloor ?? { highest: 0 };
  floor.highest = Math.max(floor.highest, await highestSequence(options.writers));
  const planned = floor.highest;
  const writtenAt = (options.now ?? (() => new Date()))();
  const outcomes = await Promise.all(options.writers.map(async ({ origin, backend }): Promise<OriginOutcome> => {
    try {
      const result = await writeCanary({
        backend,
        bucket: origin.bucket,
        object: origin.object,
        writer: options.writer,
        now: () => writtenAt,
        // Each origin starts from the highest sequence of all, so all of them get the same next one.
        sequenceFloor: { highest: planned },
        ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
        ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
        ...(options.force !== undefined ? { force: options.force } : {}),
        ...(options.onNotice ? { onNotice: (message: string) => options.onNotice?.(`origin ${origin.name}: ${message}`) } : {}),
      });
      return { name: origin.name, target: backend.target, ok: true, result };
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return { name: origin.name, target: backend.target, ok: false, error: toWriteError(error, { attempts: 1, endpoint: backend.endpoint, target: backend.target }) };
    }
  }));
  for (const outcome of outcomes) {
    if (outcome.ok) floor.highest = Math.max(floor.highest, outcome.result.sequence, outcome.result.supersededBy?.sequence ?? 0);
  }
  return { sequence: planned + 1, writtenAt: writtenAt.toISOString(), outcomes };
}
