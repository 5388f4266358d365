/** Reading the object as it stands: its generation (for the precondition) and its sequence. */
import type { Storage } from '@google-cloud/storage';
import { MAX_CANARY_BYTES } from '../../src/core/canary';
import { readCanary } from './canary-object';
import { codeOf, httpStatusOf } from './transient';

export type CurrentObject =
  | { state: 'missing'; generation: 0 }
  | { state: 'canary'; generation: string; sequence: number; writtenAt: string }
  /** `foreign`: something other than a canary lives there; overwriting it could destroy a real file. */
  | { state: 'unreadable'; generation: string; why: string; foreign?: boolean };

/**
 * Metadata first, then content: the content is then of the same generation or a newer one, and
 * a newer one makes the write's `ifGenerationMatch` fail instead of losing that newer sequence.
 */
export async function readCurrentObject(storage: Storage, bucket: string, object: string): Promise<CurrentObject> {
  const file = storage.bucket(bucket).file(object);
  let generation: string;
  let size: number;
  try {
    const [metadata] = await file.getMetadata();
    generation = String(metadata.generation);
    size = Number(metadata.size);
  } catch (error) {
    if (httpStatusOf(error) === 404) return { state: 'missing', generation: 0 };
    throw error;
  }
  if (size > MAX_CANARY_BYTES) {
    return { state: 'unreadable', generation, why: `it is ${size} bytes, larger than a canary`, foreign: true };
  }
  let bytes: Uint8Array;
  try {
    [bytes] = await file.download();
  } catch (error) {
    // Deleted between the two reads: the write's precondition names the generation seen, fails,
    // and the re-read then finds the object missing.
    if (httpStatusOf(error) === 404) return { state: 'unreadable', generation, why: 'it was deleted while being read' };
    // Bytes that fail their checksum say nothing about what is stored: it may be another file.
    if (codeOf(error) === 'CONTENT_DOWNLOAD_MISMATCH') {
      return { state: 'unreadable', generation, why: 'its content failed the checksum check when read, so it may be another file', foreign: true };
    }
    throw error;
  }
  const reading = readCanary(bytes);
  return reading.readable
    ? { state: 'canary', generation, sequence: reading.sequence, writtenAt: reading.writtenAt }
    : { state: 'unreadable', generation, why: reading.why, foreign: reading.foreign === true };
}

/** The content of one exact generation, to confirm a write landed as sent. */
export async function readGeneration(storage: Storage, bucket: string, object: string, generation: string): Promise<Uint8Array> {
  const [bytes] = await storage.bucket(bucket).file(object, { generation: Number(generation) }).download();
  return bytes;
}
