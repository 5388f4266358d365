/**
 * Confirming a write landed: read back the exact generation written. Without object versioning a
 * generation is gone as soon as another writer replaces it, so a 404 there is ambiguous: if the
 * live object is a canary with a higher sequence, a newer write superseded ours (a success, the
 * canary moved forward); anything else means our write cannot be confirmed.
 */
import type { Storage } from '@google-cloud/storage';
import { readCanary } from './canary-object';
import type { CanaryObject } from './canary-object';
import { ReadBackMismatchError } from './errors';
import { readCurrentObject, readGeneration } from './read-object';
import { codeOf, httpStatusOf } from './transient';

export type ReadBack = { state: 'confirmed' } | { state: 'superseded'; generation: string; sequence: number };

export interface ReadBackTarget {
  storage: Storage;
  bucket: string;
  object: string;
}

export async function readBack({ storage, bucket, object }: ReadBackTarget, generation: string, sent: CanaryObject): Promise<ReadBack> {
  let bytes: Uint8Array;
  try {
    bytes = await readGeneration(storage, bucket, object, generation);
  } catch (error) {
    if (httpStatusOf(error) === 404) return supersededOrGone({ storage, bucket, object }, generation, sent);
    if (codeOf(error) === 'CONTENT_DOWNLOAD_MISMATCH') {
      throw new ReadBackMismatchError(`generation ${generation} read back does not match its checksum`);
    }
    throw error;
  }
  const reading = readCanary(bytes);
  if (!reading.readable) {
    throw new ReadBackMismatchError(`generation ${generation} read back is not a canary (${reading.why})`);
  }
  if (reading.sequence !== sent.sequence || reading.writtenAt !== sent.written_at) {
    throw new ReadBackMismatchError(
      `generation ${generation} read back holds sequence ${reading.sequence} written_at ${reading.writtenAt}, ` +
        `expected ${sent.sequence} ${sent.written_at}`,
    );
  }
  return { state: 'confirmed' };
}

async function supersededOrGone(target: ReadBackTarget, generation: string, sent: CanaryObject): Promise<ReadBack> {
  const live = await readCurrentObject(target.storage, target.bucket, target.object);
  if (live.state === 'canary' && live.sequence > sent.sequence) {
    return { state: 'superseded', generation: live.generation, sequence: live.sequence };
  }
  const now =
    live.state === 'missing' ? 'the object no longer exists'
    : live.state === 'canary' ? `the live generation ${live.generation} holds sequence ${live.sequence}, not above ours`
    : `the live generation ${live.generation} holds no readable canary (${live.why})`;
  throw new ReadBackMismatchError(`generation ${generation} was gone before it could be read back, and ${now}`);
}
