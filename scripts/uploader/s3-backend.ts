/**
 * The S3-compatible side of a write (AWS S3, Backblaze B2, Cloudflare R2): ETags instead of
 * generations, `If-None-Match: *` to create and `If-Match: ETAG` to replace, through
 * @aws-sdk/client-s3. One GET returns body and ETag together, so the version read is the one parsed.
 */
import { GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { MAX_CANARY_BYTES } from '../../src/core/canary';
import { CANARY_CACHE_CONTROL, CANARY_CONTENT_TYPE, readCanary } from './canary-object';
import { CanaryWriteError, ReadBackMismatchError } from './errors';
import { crc32cBase64 } from './gcs-backend';
import type { OriginBackend } from './origin-backend';
import type { CurrentObject } from './read-object';
import { httpStatusOf } from './transient';

/** An S3 error answer, with the HTTP status where the retry and failure logic look for it (`code`). */
export class S3AnswerError extends Error {
  constructor(readonly code: number, readonly s3Code: string, message: string) {
    super(message);
    this.name = 'S3AnswerError';
  }
}

export interface S3Target {
  bucket: string;
  object: string;
  provider: 's3' | 'b2' | 'r2' | 'other';
  /** For messages: the store's host, e.g. s3.us-east-005.backblazeb2.com. */
  host: string;
  endpoint: string;
}

/** S3 and B2 answer 403 AccessDenied for a missing object when the key may not list the bucket. */
const hidesMissingObjects = (provider: S3Target['provider']): boolean => provider === 's3' || provider === 'b2';

function answerError(error: unknown, target: S3Target): unknown {
  if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode === undefined) return error;
  const status = error.$metadata.httpStatusCode;
  const ambiguity = status === 403 && error.name === 'AccessDenied' && hidesMissingObjects(target.provider)
    ? ` (${target.provider === 'b2' ? 'B2' : 'S3'} also answers this for a missing object when the key may not list the bucket)`
    : '';
  return new S3AnswerError(status, error.name, `${error.name}: ${error.message}${ambiguity}`);
}

function discard(body: GetObjectCommandOutput['Body']): void {
  if (body && 'destroy' in body && typeof body.destroy === 'function') body.destroy();
}

export function s3Backend(client: S3Client, target: S3Target, onNotice?: (message: string) => void): OriginBackend {
  const { bucket, object } = target;
  const name = `s3://${bucket}/${object} (${target.provider}, ${target.host})`;
  // A 403 on the read may hide a missing object; a create-only write then tells the two apart.
  let readWasForbidden = false;
  const send = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw answerError(error, target);
    }
  };

  const readCurrent = async (): Promise<CurrentObject> => {
    readWasForbidden = false;
    let answer: GetObjectCommandOutput;
    try {
      answer = await send(() => client.send(new GetObjectCommand({ Bucket: bucket, Key: object })));
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 404) return { state: 'missing', generation: 0 };
      if (status === 403 && hidesMissingObjects(target.provider)) {
        readWasForbidden = true;
        onNotice?.(`${name} answered 403 AccessDenied to the read: either it does not exist and the key may not list the bucket, or the key may not read it; trying a create-only write (If-None-Match: *)`);
        return { state: 'missing', generation: 0 };
      }
      throw error;
    }
    const etag = answer.ETag ?? '';
    if ((answer.ContentLength ?? 0) > MAX_CANARY_BYTES) {
      discard(answer.Body);
      return { state: 'unreadable', generation: etag, why: `it is ${answer.ContentLength} bytes, larger than a canary`, foreign: true };
    }
    let bytes: Uint8Array;
    try {
      bytes = (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      // The SDK checks x-amz-checksum-* itself; bytes that fail it say nothing about what is stored.
      if (error instanceof Error && /checksum/i.test(error.message)) {
        return { state: 'unreadable', generation: etag, why: 'its content failed the checksum check when read, so it may be another file', foreign: true };
      }
      throw error;
    }
    const reading = readCanary(bytes);
    return reading.readable
      ? { state: 'canary', generation: etag, sequence: reading.sequence, writtenAt: reading.writtenAt }
      : { state: 'unreadable', generation: etag, why: reading.why, foreign: reading.foreign === true };
  };

  return {
    target: name,
    endpoint: target.endpoint,
    versionKind: 'etag',
    readCurrent,
    save: async (body, etag) => {
      let answer;
      try {
        answer = await send(() => client.send(new PutObjectCommand({
          Bucket: bucket,
          Key: object,
          Body: body,
          ContentType: CANARY_CONTENT_TYPE,
          CacheControl: CANARY_CACHE_CONTROL,
          // Stored with the object, so readers (the canary) can check it: x-amz-checksum-crc32c.
          ...(target.provider === 'other' ? {} : { ChecksumAlgorithm: 'CRC32C' as const }),
          ...(etag === 0 ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        })));
      } catch (error) {
        if (etag === 0 && readWasForbidden && httpStatusOf(error) === 412) {
          throw new CanaryWriteError('rejected', `${name} exists, but this key may not read it (403 AccessDenied on GET): grant it s3:GetObject on the object (and s3:ListBucket to tell a missing object from a forbidden one)`, 1, { cause: error });
        }
        throw error;
      }
      const expectedCrc = crc32cBase64(body);
      if (answer.ChecksumCRC32C !== undefined && answer.ChecksumCRC32C !== expectedCrc) {
        throw new ReadBackMismatchError(`storage reports x-amz-checksum-crc32c ${answer.ChecksumCRC32C} for what was sent, expected ${expectedCrc}`);
      }
      if (!answer.ETag) throw new ReadBackMismatchError('storage did not report the ETag written');
      return answer.ETag;
    },
    readVersion: async (etag) => {
      try {
        const answer = await send(() => client.send(new GetObjectCommand({ Bucket: bucket, Key: object, IfMatch: etag })));
        return (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
      } catch (error) {
        // 412: replaced since; 404 (or S3/B2's 403 for a missing key): deleted since.
        const status = httpStatusOf(error);
        if (status === 412 || status === 404 || (status === 403 && hidesMissingObjects(target.provider))) return 'gone';
        throw error;
      }
    },
  };
}
