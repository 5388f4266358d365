import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { crc32Base64 } from '../../scripts/emulator/crc32c';
import { emulatorS3Client } from '../support/s3-client';

const KEY = { accessId: 'AKIAS3SDKTEST', secret: 's3-sdk-test-secret' };
const BUCKET = 'files-archive';
const BODY = '{"kind":"edge-canary","version":1,"written_at":"2026-01-01T00:00:00.000Z","sequence":7,"writer":"test"}';
const md5Hex = (text: string): string => createHash('md5').update(text).digest('hex');

let emulator: Emulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, hmacKeys: [KEY], s3Buckets: [{ name: BUCKET, provider: 's3', region: 'us-west-2' }] });
  s3 = emulatorS3Client({ url: emulator.url, ...KEY, region: 'us-west-2' });
});
afterAll(async () => {
  s3.destroy();
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function sdkError(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return { name: error.name, status: error.$metadata.httpStatusCode };
    throw error;
  }
  throw new Error('expected the S3 call to fail');
}

describe('emulator S3 API with @aws-sdk/client-s3 defaults', () => {
  it('PUT of a string body (payload hash + x-amz-checksum-crc32 header), then GET and HEAD read it back', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'edge-canary/canary.json', Body: BODY, ContentType: 'application/json', CacheControl: 'no-store' }));
    expect(put.ETag).toBe(`"${md5Hex(BODY)}"`);
    expect(put.ChecksumCRC32).toBe(crc32Base64(Buffer.from(BODY)));
    const put1 = emulator.requestLog().find((e) => e.method === 'PUT');
    expect(put1).toMatchObject({ auth: 'aws4', verdict: 'ok', status: 200, accessId: KEY.accessId, bucket: BUCKET });

    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'edge-canary/canary.json' }));
    expect(await got.Body?.transformToString()).toBe(BODY);
    expect(got.ContentType).toBe('application/json');
    expect(got.CacheControl).toBe('no-store');
    expect(got.ETag).toBe(`"${md5Hex(BODY)}"`);

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'edge-canary/canary.json' }));
    expect(head.ContentLength).toBe(Buffer.byteLength(BODY));
    expect(head.ETag).toBe(got.ETag);
  });

  it('PUT of a stream body (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER, trailing CRC32C) stores the decoded bytes and the checksum', async () => {
    const body = Readable.from([Buffer.from(BODY.slice(0, 10)), Buffer.from(BODY.slice(10))]);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.json', Body: body, ContentLength: Buffer.byteLength(BODY), ChecksumAlgorithm: 'CRC32C' }));
    expect(emulator.requestLog().at(-1)).toMatchObject({ method: 'PUT', verdict: 'ok', status: 200 });

    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.json', ChecksumMode: 'ENABLED' }));
    expect(await got.Body?.transformToString()).toBe(BODY);
    expect(got.ChecksumCRC32C).toBe(crc32cBase64(Buffer.from(BODY)));
    expect(got.ChecksumType).toBe('FULL_OBJECT');
    expect(got.ETag).toBe(`"${md5Hex(BODY)}"`);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('the SDK validates the CRC32C of an object written with one (it asks with x-amz-checksum-mode by default)', async () => {
    emulator.putObject(BUCKET, 'with-crc.json', BODY, { checksumAlgorithm: 'CRC32C' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'with-crc.json', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32C).toBe(crc32cBase64(Buffer.from(BODY)));
    emulator.setFault({ type: 'corrupt', count: 1 });
    const corrupted = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'with-crc.json' }));
    await expect(corrupted.Body?.transformToString()).rejects.toThrow(/checksum/i);
  });

  it('If-None-Match: * creates once, then answers 412 PreconditionFailed and keeps the first object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'once.json', Body: 'first', IfNoneMatch: '*' }));
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'once.json', Body: 'second', IfNoneMatch: '*' })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'once.json' }));
    expect(await got.Body?.transformToString()).toBe('first');
  });

  it('If-Match replaces only the ETag it read: a stale ETag is 412, a missing key is 404 NoSuchKey', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'swap.json', Body: 'one' }));
    const second = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'swap.json', Body: 'two', IfMatch: first.ETag }));
    expect(second.ETag).toBe(`"${md5Hex('two')}"`);
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'swap.json', Body: 'three', IfMatch: first.ETag })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'absent.json', Body: 'x', IfMatch: first.ETag })))).toEqual({ name: 'NoSuchKey', status: 404 });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'swap.json' }));
    expect(await got.Body?.transformToString()).toBe('two');
  });

  it('a rotated key is SignatureDoesNotMatch (403) on S3; a missing object is AccessDenied (403)', async () => {
    emulator.putObject(BUCKET, 'k.json', BODY);
    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.json' })))).toEqual({ name: 'AccessDenied', status: 403 });
    emulator.rotateKey(KEY.accessId);
    expect(await sdkError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k.json' })))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('a wrong region in the credential scope is AuthorizationHeaderMalformed naming the bucket region', async () => {
    const wrong = emulatorS3Client({ url: emulator.url, ...KEY, region: 'eu-west-1' });
    expect(await sdkError(wrong.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k.json' })))).toEqual({ name: 'AuthorizationHeaderMalformed', status: 400 });
    wrong.destroy();
  });

  it('a bucket that does not exist is NoSuchBucket', async () => {
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: 'nope-bucket', Key: 'k', Body: 'x' })))).toEqual({ name: 'NoSuchBucket', status: 404 });
  });
});
