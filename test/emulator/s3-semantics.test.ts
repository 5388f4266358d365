import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { s3Aws4Headers } from './hand-signers';
import type { S3HandSignInput } from './hand-signers';
import { control, rawRequest, xmlCode } from './http-client';

const KEY = { accessId: 'AKIAS3SEMANTICS', secret: 's3-semantics-secret' };
const BODY = '{"kind":"edge-canary","sequence":3}';
const OBJECT = 'edge-canary/canary.json';
const AWS_HOST = 's3.us-west-2.amazonaws.com';
const B2_HOST = 's3.us-east-005.backblazeb2.com';
const R2_HOST = '0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    hmacKeys: [KEY],
    s3Buckets: [
      { name: 'files-archive', provider: 's3', region: 'us-west-2' },
      { name: 'files-b2', provider: 'b2', region: 'us-east-005' },
      { name: 'files-r2', provider: 'r2' },
      { name: 'files-listable', provider: 'b2', keyCanList: true },
    ],
  });
  for (const bucket of ['files-archive', 'files-b2', 'files-r2', 'files-listable']) {
    emulator.putObject(bucket, OBJECT, BODY, { contentType: 'application/json', checksumAlgorithm: 'CRC32C' });
  }
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

type SignOverrides = Partial<S3HandSignInput> & { host: string; path: string };
const get = (o: SignOverrides) =>
  rawRequest({ port: emulator.port, method: o.method ?? 'GET', path: o.path, headers: s3Aws4Headers({ ...KEY, time: Date.now(), ...o }), ...(o.body !== undefined ? { body: o.body } : {}) });

describe('S3-flavoured reads, hand-signed', () => {
  it('path style and virtual-host style both serve the object, with an MD5 ETag and no x-goog-* header', async () => {
    const path = await get({ host: AWS_HOST, path: `/files-archive/${OBJECT}`, region: 'us-west-2' });
    const virtual = await get({ host: `files-archive.${AWS_HOST}`, path: `/${OBJECT}`, region: 'us-west-2' });
    for (const res of [path, virtual]) {
      expect(res.status).toBe(200);
      expect(res.body).toBe(BODY);
      expect(res.headers.etag).toBe(`"${createHash('md5').update(BODY).digest('hex')}"`);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('x-goog-'))).toEqual([]);
      expect(res.headers['x-amz-checksum-crc32c']).toBeUndefined();
    }
  });

  it('x-amz-checksum-mode: ENABLED answers the CRC32C written with the object and its type', async () => {
    const res = await get({ host: B2_HOST, path: `/files-b2/${OBJECT}`, region: 'us-east-005', extra: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-amz-checksum-crc32c']).toBe(crc32cBase64(Buffer.from(BODY)));
    expect(res.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');
  });

  it('conditional reads: If-Match on another ETag is 412 PreconditionFailed, If-None-Match on the current one is 304', async () => {
    const etag = `"${createHash('md5').update(BODY).digest('hex')}"`;
    const path = `/files-archive/${OBJECT}`;
    const stale = await get({ host: AWS_HOST, path, region: 'us-west-2', extra: { 'if-match': '"0123456789abcdef0123456789abcdef"' } });
    expect([stale.status, xmlCode(stale.body)]).toEqual([412, 'PreconditionFailed']);
    const same = await get({ host: AWS_HOST, path, region: 'us-west-2', extra: { 'if-match': etag } });
    expect(same.status).toBe(200);
    const notModified = await get({ host: AWS_HOST, path, region: 'us-west-2', extra: { 'if-none-match': etag } });
    expect([notModified.status, notModified.body]).toEqual([304, '']);
  });

  it('R2 virtual-host style under an account host, region auto', async () => {
    const res = await get({ host: `files-r2.${R2_HOST}`, path: `/${OBJECT}`, region: 'auto' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(BODY);
  });
});

describe('provider error semantics', () => {
  it.each([
    { name: 'S3 missing object', host: AWS_HOST, bucket: 'files-archive', region: 'us-west-2', status: 403, code: 'AccessDenied' },
    { name: 'B2 missing object', host: B2_HOST, bucket: 'files-b2', region: 'us-east-005', status: 403, code: 'AccessDenied' },
    { name: 'B2 missing object, key may list', host: B2_HOST, bucket: 'files-listable', region: 'us-east-005', status: 404, code: 'NoSuchKey' },
    { name: 'R2 missing object', host: R2_HOST, bucket: 'files-r2', region: 'auto', status: 404, code: 'NoSuchKey' },
  ])('$name → $status $code', async ({ host, bucket, region, status, code }) => {
    const res = await get({ host, path: `/${bucket}/edge-canary/missing.json`, region });
    expect(res.status).toBe(status);
    expect(xmlCode(res.body)).toBe(code);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>/);
    expect(res.body).toContain('<RequestId>');
  });

  it.each([
    { name: 'S3', host: AWS_HOST, bucket: 'files-archive', region: 'us-west-2', status: 403, code: 'SignatureDoesNotMatch' },
    { name: 'B2', host: B2_HOST, bucket: 'files-b2', region: 'us-east-005', status: 403, code: 'SignatureDoesNotMatch' },
    { name: 'R2', host: R2_HOST, bucket: 'files-r2', region: 'auto', status: 401, code: 'Unauthorized' },
  ])('$name: a wrong secret → $status $code', async ({ host, bucket, region, status, code }) => {
    const res = await get({ host, path: `/${bucket}/${OBJECT}`, region, secret: 'not-the-secret' });
    expect(res.status).toBe(status);
    expect(xmlCode(res.body)).toBe(code);
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: code, status, accessId: KEY.accessId });
  });

  it('R2 answers an unknown access key with 401 too; S3 with 403 InvalidAccessKeyId', async () => {
    const r2 = await get({ host: R2_HOST, path: `/files-r2/${OBJECT}`, region: 'auto', accessId: 'UNKNOWN' });
    const s3 = await get({ host: AWS_HOST, path: `/files-archive/${OBJECT}`, region: 'us-west-2', accessId: 'UNKNOWN' });
    expect([r2.status, xmlCode(r2.body)]).toEqual([401, 'Unauthorized']);
    expect([s3.status, xmlCode(s3.body)]).toEqual([403, 'InvalidAccessKeyId']);
  });

  it('an unsigned read of a private bucket is AccessDenied; GOOG4 is refused; x-amz-content-sha256 is required', async () => {
    const unsigned = await rawRequest({ port: emulator.port, path: `/files-archive/${OBJECT}`, headers: { Host: AWS_HOST } });
    expect([unsigned.status, xmlCode(unsigned.body)]).toEqual([403, 'AccessDenied']);
    const headers = s3Aws4Headers({ ...KEY, time: Date.now(), host: AWS_HOST, path: `/files-archive/${OBJECT}`, region: 'us-west-2' });
    const { ['x-amz-content-sha256']: _dropped, ...withoutHash } = headers;
    const missingHash = await rawRequest({ port: emulator.port, path: `/files-archive/${OBJECT}`, headers: withoutHash });
    expect([missingHash.status, xmlCode(missingHash.body)]).toEqual([400, 'InvalidRequest']);
  });

  it('a removed object and a rotated key through the control API behave as on the real store', async () => {
    emulator.putObject('files-archive', 'gone.json', BODY);
    expect((await control(emulator.port, 'DELETE', '/objects/files-archive/gone.json')).status).toBe(200);
    const gone = await get({ host: AWS_HOST, path: '/files-archive/gone.json', region: 'us-west-2' });
    expect(xmlCode(gone.body)).toBe('AccessDenied');
    expect((await control(emulator.port, 'POST', '/keys/rotate', { accessId: KEY.accessId })).status).toBe(200);
    const rotated = await get({ host: R2_HOST, path: `/files-r2/${OBJECT}`, region: 'auto' });
    expect([rotated.status, xmlCode(rotated.body)]).toEqual([401, 'Unauthorized']);
  });

  it('an injected status fault answers an S3-style body; garbage carries no x-goog-hash', async () => {
    emulator.setFault({ type: 'status', status: 503, count: 1 });
    const failed = await get({ host: AWS_HOST, path: `/files-archive/${OBJECT}`, region: 'us-west-2' });
    expect([failed.status, xmlCode(failed.body)]).toEqual([503, 'ServiceUnavailable']);
    expect(failed.body).toContain('<RequestId>');
    emulator.setFault({ type: 'garbage', count: 1 });
    const garbage = await get({ host: AWS_HOST, path: `/files-archive/${OBJECT}`, region: 'us-west-2' });
    expect(garbage.status).toBe(200);
    expect(garbage.headers['x-goog-hash']).toBeUndefined();
    expect(garbage.body).not.toBe(BODY);
  });

  it('the control API creates an S3-flavoured bucket and lists its provider', async () => {
    const created = await control(emulator.port, 'POST', '/buckets/made-r2', { provider: 'r2' });
    expect(created).toEqual({ status: 201, json: { bucket: 'made-r2', public: false, provider: 'r2' } });
    const bad = await control(emulator.port, 'POST', '/buckets/made-x', { provider: 'azure' });
    expect(bad.status).toBe(400);
    const listed = (await control(emulator.port, 'GET', '/buckets')).json as Array<{ name: string; provider: string }>;
    expect(listed.find((b) => b.name === 'files-b2')).toMatchObject({ provider: 'b2', region: 'us-east-005' });
  });
});
