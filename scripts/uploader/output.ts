/** What the uploader prints on stdout: one line per write, JSON with --json. */
import { CANARY_CACHE_CONTROL, CANARY_CONTENT_TYPE } from './canary-object';
import type { CanaryObject } from './canary-object';
import type { WriteResult } from './write-canary';

/** `{ bucket, object, generation, sequence, written_at, duration_ms }` or a sentence. */
export function formatWriteResult(result: WriteResult, json: boolean): string {
  if (json) {
    return JSON.stringify({
      bucket: result.bucket,
      object: result.object,
      generation: result.generation,
      sequence: result.sequence,
      written_at: result.writtenAt,
      duration_ms: result.durationMs,
      superseded_by: result.supersededBy,
    });
  }
  const notes = [
    result.supersededBy === null
      ? ''
      : `superseded before the read-back by sequence ${result.supersededBy.sequence} generation ${result.supersededBy.generation} from another writer`,
    result.conflicts > 0 ? `${result.conflicts} precondition conflict${result.conflicts === 1 ? '' : 's'}` : '',
    result.attempts > 1 ? `${result.attempts} attempts` : '',
  ].filter((note) => note !== '');
  const suffix = notes.length === 0 ? '' : ` (${notes.join(', ')})`;
  return (
    `wrote ${result.target ?? `gs://${result.bucket}/${result.object}`} sequence ${result.sequence} ` +
    `${result.versionKind ?? 'generation'} ${result.generation} in ${result.durationMs} ms${suffix}`
  );
}

/** The object a write would store; its sequence is only known once the current object is read. */
export type DryRunCanary = Omit<CanaryObject, 'sequence'> & { sequence: null };

/** `target` names the object in text (`s3://b/o (...)`); default gs://bucket/object. */
export function formatDryRun(bucket: string, object: string, canary: DryRunCanary, json: boolean, target = `gs://${bucket}/${object}`): string {
  if (json) {
    return JSON.stringify({
      dry_run: true,
      bucket,
      object,
      content_type: CANARY_CONTENT_TYPE,
      cache_control: CANARY_CACHE_CONTROL,
      canary,
    });
  }
  return (
    `would write ${target} (Content-Type ${CANARY_CONTENT_TYPE}, ` +
    `Cache-Control ${CANARY_CACHE_CONTROL}, ${target.startsWith('gs://') ? 'if-generation-match the generation read' : 'If-Match the ETag read, If-None-Match: * for a new object'}):\n` +
    JSON.stringify(canary, null, 2)
  );
}
