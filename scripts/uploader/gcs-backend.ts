/** The GCS side of a write: generations and ifGenerationMatch, through @google-cloud/storage. */
import type { Storage } from '@google-cloud/storage';
import { crc32c } from '../../src/core/crc32c';
import { CANARY_CACHE_CONTROL, CANARY_CONTENT_TYPE } from './canary-object';
import { ReadBackMismatchError } from './errors';
import type { OriginBackend } from './origin-backend';
import { readCurrentObject, readGeneration } from './read-object';
import { codeOf, httpStatusOf } from './transient';

export function gcsBackend(storage: Storage, bucket: string, object: string): OriginBackend {
  return {
    target: `gs://${bucket}/${object}`,
    endpoint: storage.apiEndpoint,
    versionKind: 'generation',
    readCurrent: () => readCurrentObject(storage, bucket, object),
    save: async (body, generation) => {
      const file = storage.bucket(bucket).file(object);
      await file.save(body, {
        resumable: false,
        contentType: CANARY_CONTENT_TYPE,
        metadata: { contentType: CANARY_CONTENT_TYPE, cacheControl: CANARY_CACHE_CONTROL },
        // Makes every retry safe: a write can only replace the generation it was computed from.
        preconditionOpts: { ifGenerationMatch: generation },
        // On a checksum mismatch the library deletes the live object without a precondition, which
        // could remove another writer's canary; we check the checksum and read back ourselves.
        validation: false,
      });
      const written = file.metadata;
      const expectedCrc = crc32cBase64(body);
      if (typeof written.crc32c === 'string' && written.crc32c !== expectedCrc) {
        throw new ReadBackMismatchError(`storage reports crc32c ${written.crc32c} for what was sent, expected ${expectedCrc}`);
      }
      if (written.generation === undefined) throw new ReadBackMismatchError('storage did not report the generation written');
      return String(written.generation);
    },
    readVersion: async (generation) => {
      try {
        return await readGeneration(storage, bucket, object, generation);
      } catch (error) {
        // Without object versioning a generation is gone as soon as another writer replaces it.
        if (httpStatusOf(error) === 404) return 'gone';
        if (codeOf(error) === 'CONTENT_DOWNLOAD_MISMATCH') {
          throw new ReadBackMismatchError(`generation ${generation} read back does not match its checksum`);
        }
        throw error;
      }
    },
  };
}

export function crc32cBase64(text: string): string {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32c(new TextEncoder().encode(text)));
  return checksum.toString('base64');
}
