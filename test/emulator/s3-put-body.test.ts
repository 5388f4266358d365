import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator';
import type { Emulator } from '../../scripts/emulator';
import { crc32cBase64 } from '../../scripts/emulator/crc32c';
import { s3Aws4Headers } from './hand-signers';
import { rawRequest, xmlCode } from './http-client';

const KEY = { accessId: 'AKIAS3PUTBODY', secret: 's3-put-body-secret' };
const HOST = 's3.us-west-2.amazonaws.com';
const BODY = '{"sequence":12}';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, hmacKeys: [KEY], s3Buckets: [{ name: 'files-archive', provider: 's3' }] });
});
afterAll(() => emulator.close());

function chunked(parts: string[], trailer: string): string {
  return `${parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('')}0\r\n${trailer}\r\n\r\n`;
}

async function put(key: string, body: string, options: { payloadHash?: string; extra?: Record<string, string> } = {}) {
  const path = `/files-archive/${key}`;
  const headers = s3Aws4Headers({ ...KEY, time: Date.now(), host: HOST, path, method: 'PUT', body, ...options });
  return rawRequest({ port: emulator.port, method: 'PUT', path, headers, body });
}

const chunkedHeaders = (trailerName: string) => ({
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': String(Buffer.byteLength(BODY)),
  'x-amz-trailer': trailerName,
});

describe('S3 PUT bodies are checked as S3 checks them', () => {
  it('a signed payload hash that matches stores the body', async () => {
    const res = await put('plain.json', BODY);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${createHash('md5').update(BODY).digest('hex')}"`);
  });

  it('a payload that does not match its x-amz-content-sha256 is XAmzContentSHA256Mismatch and stores nothing', async () => {
    const res = await put('tampered.json', BODY, { payloadHash: createHash('sha256').update('something else').digest('hex') });
    expect([res.status, xmlCode(res.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(emulator.requestLog().at(-1)).toMatchObject({ verdict: 'XAmzContentSHA256Mismatch' });
  });

  it('aws-chunked with a correct trailing CRC32C is decoded; a wrong one is BadDigest', async () => {
    const good = chunked([BODY.slice(0, 5), BODY.slice(5)], `x-amz-checksum-crc32c:${crc32cBase64(Buffer.from(BODY))}`);
    const ok = await put('chunked.json', good, { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', extra: chunkedHeaders('x-amz-checksum-crc32c') });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amz-checksum-crc32c']).toBe(crc32cBase64(Buffer.from(BODY)));

    const bad = chunked([BODY], `x-amz-checksum-crc32c:${crc32cBase64(Buffer.from('other'))}`);
    const rejected = await put('chunked.json', bad, { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', extra: chunkedHeaders('x-amz-checksum-crc32c') });
    expect([rejected.status, xmlCode(rejected.body)]).toEqual([400, 'BadDigest']);
  });

  it('a trailer announced but missing, or a decoded length that differs, is refused', async () => {
    const noTrailer = await put('t.json', chunked([BODY], ''), { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', extra: chunkedHeaders('x-amz-checksum-crc32') });
    expect([noTrailer.status, xmlCode(noTrailer.body)]).toEqual([400, 'InvalidRequest']);
    const shortBody = chunked([BODY.slice(1)], `x-amz-checksum-crc32c:${crc32cBase64(Buffer.from(BODY.slice(1)))}`);
    const short = await put('t.json', shortBody, { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', extra: chunkedHeaders('x-amz-checksum-crc32c') });
    expect([short.status, xmlCode(short.body)]).toEqual([400, 'IncompleteBody']);
  });

  it('a wrong Content-MD5 or header checksum is BadDigest; signed chunks are NotImplemented with a reason', async () => {
    const md5 = await put('m.json', BODY, { extra: { 'content-md5': createHash('md5').update('x').digest('base64') } });
    expect([md5.status, xmlCode(md5.body)]).toEqual([400, 'BadDigest']);
    const crc = await put('m.json', BODY, { extra: { 'x-amz-checksum-crc32c': crc32cBase64(Buffer.from('x')) } });
    expect([crc.status, xmlCode(crc.body)]).toEqual([400, 'BadDigest']);
    const signedChunks = await put('m.json', BODY, { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    expect([signedChunks.status, xmlCode(signedChunks.body)]).toEqual([501, 'NotImplemented']);
    expect(signedChunks.body).toContain('signed chunks');
  });

  it('an unsigned PUT is AccessDenied even on a public bucket', async () => {
    emulator.createBucket('open-s3', { provider: 's3', public: true });
    const res = await rawRequest({ port: emulator.port, method: 'PUT', path: '/open-s3/x.json', headers: { Host: HOST }, body: BODY });
    expect([res.status, xmlCode(res.body)]).toEqual([403, 'AccessDenied']);
  });
});
