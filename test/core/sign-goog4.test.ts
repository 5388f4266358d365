import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signObjectRequest, signV4 } from '../../src/core/sign';
import type { SignV4Input } from '../../src/core/sign';

const SIGNED_HEADERS = 'host;x-goog-content-sha256;x-goog-date';

/** GCS's documented V4 HMAC algorithm, written out step by step with node:crypto. */
function goog4ByHand(c: { method: string; host: string; path: string; dateTime: string; region: string; accessId: string; secret: string }): string {
  const canonicalRequest = [
    c.method,
    c.path,
    '',
    `host:${c.host}`,
    'x-goog-content-sha256:UNSIGNED-PAYLOAD',
    `x-goog-date:${c.dateTime}`,
    '',
    SIGNED_HEADERS,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${c.dateTime.slice(0, 8)}/${c.region}/storage/goog4_request`;
  const stringToSign = ['GOOG4-HMAC-SHA256', c.dateTime, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key: Buffer = Buffer.from(`GOOG4${c.secret}`, 'utf8');
  for (const part of [c.dateTime.slice(0, 8), c.region, 'storage', 'goog4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `GOOG4-HMAC-SHA256 Credential=${c.accessId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}

const accessId = 'GOOG1EXAMPLEACCESSID0123456789';
const secret = 'bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ';

describe('GOOG4-HMAC-SHA256 matches the documented algorithm computed by hand', () => {
  it.each([
    {
      name: 'path style, region auto',
      location: { host: 'storage.googleapis.com', bucket: 'prod-assets', object: 'edge-canary/canary.json', urlStyle: 'path' as const },
      region: 'auto', date: '2022-06-23T14:05:09Z',
      host: 'storage.googleapis.com', path: '/prod-assets/edge-canary/canary.json', dateTime: '20220623T140509Z',
    },
    {
      name: 'virtual-host style, bucket region',
      location: { host: 'storage.googleapis.com', bucket: 'prod-assets', object: 'edge-canary/canary.json', urlStyle: 'virtual' as const },
      region: 'us-central1', date: '2026-11-26T00:39:23.999Z',
      host: 'prod-assets.storage.googleapis.com', path: '/edge-canary/canary.json', dateTime: '20261126T003923Z',
    },
    {
      name: 'odd object name, encoded once',
      location: { host: 'storage.googleapis.com', bucket: 'b-1', object: 'a b+c/é~!/', urlStyle: 'path' as const },
      region: 'auto', date: '2030-01-01T00:00:00Z',
      host: 'storage.googleapis.com', path: '/b-1/a%20b%2Bc/%C3%A9~%21/', dateTime: '20300101T000000Z',
    },
    {
      name: 'host with a port (local emulator)',
      location: { host: 'localhost:4443', bucket: 'edge-canary-local', object: 'canary.json', urlStyle: 'path' as const },
      region: 'auto', date: '2024-02-29T23:59:59Z',
      host: 'localhost:4443', path: '/edge-canary-local/canary.json', dateTime: '20240229T235959Z',
    },
  ])('$name', async ({ location, region, date, host, path, dateTime }) => {
    const signed = await signObjectRequest({ method: 'GET', location, scheme: 'goog4', accessId, secret, region, date: new Date(date) });
    expect(signed.url).toBe(`https://${host}${path}`);
    expect(signed.headers).toEqual({
      authorization: goog4ByHand({ method: 'GET', host, path, dateTime, region, accessId, secret }),
      'x-goog-date': dateTime,
      'x-goog-content-sha256': 'UNSIGNED-PAYLOAD',
    });
  });
});

describe('GOOG4 differs from AWS4 only where it must', () => {
  const base = {
    service: 'storage', region: 'auto', method: 'GET', url: 'https://storage.googleapis.com/b/o%20k',
    payloadHash: 'UNSIGNED-PAYLOAD', date: new Date('2022-06-23T14:05:09Z'), accessId, secret,
  } satisfies Partial<SignV4Input>;

  it('same canonical request except the x-goog-* header names; same string to sign except name and scope', async () => {
    const aws = await signV4({ ...base, algorithm: 'AWS4', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const goog = await signV4({ ...base, algorithm: 'GOOG4', headers: { 'x-goog-content-sha256': 'UNSIGNED-PAYLOAD' } });

    expect(goog.canonicalRequest).toBe(aws.canonicalRequest.replaceAll('x-amz-', 'x-goog-'));
    const [awsName, awsDate, awsScope] = aws.stringToSign.split('\n');
    const [googName, googDate, googScope, googHash] = goog.stringToSign.split('\n');
    expect([awsName, googName]).toEqual(['AWS4-HMAC-SHA256', 'GOOG4-HMAC-SHA256']);
    expect(googDate).toBe(awsDate);
    expect([awsScope, googScope]).toEqual(['20220623/auto/storage/aws4_request', '20220623/auto/storage/goog4_request']);
    expect(googHash).toBe(createHash('sha256').update(goog.canonicalRequest).digest('hex'));
    expect(goog.authorization).toMatch(/^GOOG4-HMAC-SHA256 Credential=GOOG1EXAMPLEACCESSID0123456789\/20220623\/auto\/storage\/goog4_request, SignedHeaders=host;x-goog-content-sha256;x-goog-date, Signature=[0-9a-f]{64}$/);
  });

  it('derives the signing key from "GOOG4" + secret, not "AWS4" + secret', async () => {
    const goog = await signV4({ ...base, algorithm: 'GOOG4', headers: {} });
    const signatureWithKeyPrefix = (prefix: string): string => {
      let key: Buffer = Buffer.from(`${prefix}${secret}`);
      for (const part of ['20220623', 'auto', 'storage', 'goog4_request']) key = createHmac('sha256', key).update(part).digest();
      return createHmac('sha256', key).update(goog.stringToSign).digest('hex');
    };
    expect(goog.authorization.endsWith(`Signature=${signatureWithKeyPrefix('GOOG4')}`)).toBe(true);
    expect(goog.authorization.endsWith(`Signature=${signatureWithKeyPrefix('AWS4')}`)).toBe(false);
  });
});
