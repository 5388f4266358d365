/**
 * The uploader of a stack with several buckets: every origin each tick, with the same sequence and
 * written_at (the uploader's every-origin mode, docs/uploader.md), one event per origin. It writes
 * with its own keys, not the canary's, as production's uploader does: rotating the key the canary
 * reads a bucket with leaves the writes going.
 */
import type { Storage } from '@google-cloud/storage';
import { setTimeout as delay } from 'node:timers/promises';
import { runTicks } from '../uploader/upload-loop';
import type { UploadOrigin } from '../uploader/origins-file';
import { credentialEnvNames } from '../uploader/s3-origin-client';
import { originWriters, writeOrigins } from '../uploader/write-origins';
import type { OriginsTick } from '../uploader/write-origins';
import { CanaryWriteError } from '../uploader';
import type { WriteResult } from '../uploader';
import type { HmacKey } from './manifest';
import type { StackUploader, UploadEvent } from './uploader';

export interface OriginsUploaderOptions {
  storage: Storage;
  /** The emulator: GCS and S3 requests both go there. */
  endpoint: string;
  origins: readonly UploadOrigin[];
  /** The key S3-compatible origins are written with (the emulator holds it too). */
  writeKey: HmacKey;
  writer: string;
  intervalMs: number;
  onEvent?: (event: UploadEvent) => void;
}

/** Every S3-compatible origin's credential name mapped to the uploader's own key, as the uploader reads it. */
function writerEnv(origins: readonly UploadOrigin[], key: HmacKey): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const origin of origins) {
    if (origin.provider === 'gcs' || origin.credential === null) continue;
    const names = credentialEnvNames(origin.credential);
    env[names.accessKeyId] = key.accessId;
    env[names.secretAccessKey] = key.secret;
  }
  return env;
}

const CREDENTIAL_REFUSALS = /\b(InvalidAccessKeyId|SignatureDoesNotMatch|Unauthorized)\b/;

/** A refused credential on an S3-compatible write is the stack's own write key, never the manifest's: say so. */
function namingWriteKey(error: CanaryWriteError, key: HmacKey): CanaryWriteError {
  if (error.kind !== 'rejected' || !CREDENTIAL_REFUSALS.test(error.message)) return error;
  const whose = `the key refused is the stack's own write key ${key.accessId}, not the manifest's credential (the canary's keys are for reading); it was rotated or removed through the control API: POST /_emulator/keys/restore brings it back`;
  return new CanaryWriteError(error.kind, `${error.message} (${whose})`, error.attempts, { cause: error });
}

/** The primary's write, or the first origin's failure; a stack without every canary cannot start. */
function primaryResult(tick: OriginsTick): WriteResult {
  for (const outcome of tick.outcomes) if (!outcome.ok) throw outcome.error;
  const [primary] = tick.outcomes;
  if (primary === undefined || !primary.ok) throw new Error('no origin to write');
  return primary.result;
}

/** Rejects (with nothing left running) when the first tick cannot write every origin. */
export async function startOriginsUploader(options: OriginsUploaderOptions): Promise<StackUploader> {
  const { onEvent } = options;
  const writers = originWriters(options.origins, {
    storage: options.storage,
    endpoint: options.endpoint,
    env: writerEnv(options.origins, options.writeKey),
  });
  // One floor for every tick, so no origin is ever written a lower sequence, even after a deletion.
  const sequenceFloor = { highest: 0 };
  const tick = async (): Promise<OriginsTick> => {
    const written = await writeOrigins({ writers, writer: options.writer, sequenceFloor });
    const s3Targets = new Set(writers.filter((w) => w.origin.provider !== 'gcs').map((w) => w.origin.name));
    const result = {
      ...written,
      outcomes: written.outcomes.map((o) => (o.ok || !s3Targets.has(o.name) ? o : { ...o, error: namingWriteKey(o.error, options.writeKey) })),
    };
    for (const outcome of result.outcomes) {
      onEvent?.(outcome.ok ? { kind: 'write', result: outcome.result } : { kind: 'error', error: outcome.error });
    }
    return result;
  };
  const first = primaryResult(await tick());

  const controller = new AbortController();
  const { signal } = controller;
  const loop = (async () => {
    try {
      await delay(options.intervalMs, undefined, { signal });
    } catch {
      return;
    }
    await runTicks({ intervalMs: options.intervalMs, signal }, async () => (await tick()).outcomes.every((o) => o.ok));
  })();

  return {
    first,
    writeNow: async () => primaryResult(await tick()),
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}
