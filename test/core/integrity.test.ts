/** Integrity on S3-compatible stores: MD5 (RFC 1321 vectors), x-amz-checksum-crc32c, single-part ETags. */
import { describe, expect, it } from 'vitest';
import { inspectStoreBody, s3IntegrityProblem } from '../../src/core/integrity';
import { md5Hex } from '../../src/core/md5';
import { canaryBody, googHash } from '../support/fake-platform';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('md5Hex', () => {
  // RFC 1321, appendix A.5.
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ])('MD5("%s") = %s', (input, digest) => {
    expect(md5Hex(bytes(input))).toBe(digest);
  });

  it('pads across the 56-byte boundary and over several blocks', () => {
    expect(md5Hex(bytes('x'.repeat(55)))).toBe('04364420e25c512fd958a70738aa8f72');
    expect(md5Hex(bytes('x'.repeat(56)))).toBe('668a72d5ba17f08e62dabcafad6db14b');
    expect(md5Hex(bytes('y'.repeat(1000)))).toBe('abf7f0c50f9f08c680c97d669f346e3c');
  });
});

const BODY = canaryBody(new Date('2026-11-26T00:39:23.123Z'));
const CRC = googHash(BODY).slice('crc32c='.length);
const ETAG = `"${md5Hex(bytes(BODY))}"`;

describe('s3IntegrityProblem', () => {
  it.each<{ name: string; headers: Record<string, string>; problem: string | RegExp | null }>([
    { name: 'matching x-amz-checksum-crc32c', headers: { 'x-amz-checksum-crc32c': CRC, 'x-amz-checksum-type': 'FULL_OBJECT' }, problem: null },
    { name: 'matching single-part ETag', headers: { etag: ETAG }, problem: null },
    { name: 'upper-case hex ETag', headers: { etag: ETAG.toUpperCase() }, problem: null },
    { name: 'crc32c wins over a wrong ETag', headers: { 'x-amz-checksum-crc32c': CRC, etag: '"00000000000000000000000000000000"' }, problem: null },
    { name: 'multipart ETag: not an MD5 of the body, not checked', headers: { etag: '"9b2cf535f27731c974343645a3985328-3"' }, problem: null },
    { name: 'SSE-KMS ETag: not an MD5 of the body, not checked', headers: { etag: '"00000000000000000000000000000000"', 'x-amz-server-side-encryption': 'aws:kms' }, problem: null },
    { name: 'composite checksum: not of the body, falls back to the ETag', headers: { 'x-amz-checksum-crc32c': 'AAAAAA==-2', 'x-amz-checksum-type': 'COMPOSITE', etag: ETAG }, problem: null },
    { name: 'no checksum at all', headers: {}, problem: null },
    { name: 'wrong crc32c', headers: { 'x-amz-checksum-crc32c': 'AAAAAA==' }, problem: /^crc32c [0-9a-f]{8} != x-amz-checksum-crc32c 00000000$/ },
    { name: 'malformed crc32c', headers: { 'x-amz-checksum-crc32c': 'not-base64!' }, problem: 'x-amz-checksum-crc32c "not-base64!" is not 4 bytes of base64' },
    { name: 'wrong ETag', headers: { etag: '"00000000000000000000000000000000"' }, problem: `md5 ${ETAG.slice(1, -1)} != ETag 00000000000000000000000000000000` },
  ])('$name', ({ headers, problem }) => {
    const found = s3IntegrityProblem(bytes(BODY), new Headers(headers));
    if (problem instanceof RegExp) expect(found).toMatch(problem);
    else expect(found).toBe(problem);
  });
});

describe('inspectStoreBody', () => {
  const body = (text: string) => ({ bytes: bytes(text), truncated: false });

  it('on GCS checks x-goog-hash and ignores an ETag', () => {
    const headers = new Headers({ 'x-goog-hash': googHash(BODY), etag: '"00000000000000000000000000000000"' });
    expect(inspectStoreBody(body(BODY), headers, 'gcs').ok).toBe(true);
    expect(inspectStoreBody(body(`${BODY} `), headers, 'gcs')).toMatchObject({ ok: false, reason: 'integrity_mismatch' });
  });

  it.each(['s3', 'b2', 'r2', 'other'] as const)('on %s a body altered in transit is integrity_mismatch', (provider) => {
    const verdict = inspectStoreBody(body(BODY.replace('"sequence":42', '"sequence":43')), new Headers({ etag: ETAG }), provider);
    expect(verdict).toMatchObject({ ok: false, reason: 'integrity_mismatch', detail: expect.stringContaining('!= ETag') });
  });

  it('on S3 ignores an x-goog-hash it did not send', () => {
    expect(inspectStoreBody(body(BODY), new Headers({ 'x-goog-hash': 'crc32c=AAAAAA==', etag: ETAG }), 's3').ok).toBe(true);
  });
});
