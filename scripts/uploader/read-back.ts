/**
 * Confirming a write landed: read back the exact version written (GCS generation, S3 ETag).
 * Without object versioning a version is gone as soon as another writer replaces it, so `gone` is
 * ambiguous: if the live object is a canary with a higher sequence, a newer write superseded ours
 * (a success, the canary moved forward); anything else means our write cannot be confirmed.
 */
import { readCanary } from './canary-object';
import type { CanaryObject } from './canary-object';
import { ReadBackMismatchError } from './errors';
import type { OriginBackend } from './origin-backend';

export type ReadBack = { state: 'confirmed' } | { state: 'superseded'; generation: string; sequence: number };

export async function readBack(backend: OriginBackend, generation: string, sent: CanaryObject): Promise<ReadBack> {
  const bytes = await backend.readVersion(generation);
  if (bytes === 'gone') return supersededOrGone(backend, generation, sent);
  const reading = readCanary(bytes);
  if (!reading.readable) {
    throw new ReadBackMismatchError(`${backend.versionKind} ${generation} read back is not a canary (${reading.why})`);
  }
  if (reading.sequence !== sent.sequence || reading.writtenAt !== sent.written_at) {
    throw new ReadBackMismatchError(
      `${backend.versionKind} ${generation} read back holds sequence ${reading.sequence} written_at ${reading.writtenAt}, ` +
        `expected ${sent.sequence} ${sent.written_at}`,
    );
  }
  return { state: 'confirmed' };
}

async function supersededOrGone(backend: OriginBackend, generation: string, sent: CanaryObject): Promise<ReadBack> {
  const live = await backend.readCurrent();
  if (live.state === 'canary' && live.sequence > sent.sequence) {
    return { state: 'superseded', generation: live.generation, sequence: live.sequence };
  }
  const now =
    live.state === 'missing' ? 'the object no longer exists'
    : live.state === 'canary' ? `the live ${backend.versionKind} ${live.generation} holds sequence ${live.sequence}, not above ours`
    : `the live ${backend.versionKind} ${live.generation} holds no readable canary (${live.why})`;
  throw new ReadBackMismatchError(`${backend.versionKind} ${generation} was gone before it could be read back, and ${now}`);
}
