import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigningInputError, objectUrl, signObjectRequest } from '../../src/core/sign';
import type { ObjectLocation, SignObjectRequestInput, SigningScheme } from '../../src/core/sign';

const GCS = 'storage.googleapis.com';
const at = (object: string, urlStyle: 'path' | 'virtual' = 'path'): ObjectLocation => ({ host: GCS, bucket: 'bkt', object, urlStyle });

describe('objectUrl', () => {
  it.each([
    { name: 'path style', location: at('edge-canary/canary.json'), url: 'https://storage.googleapis.com/bkt/edge-canary/canary.json' },
    { name: 'virtual-host style', location: at('edge-canary/canary.json', 'virtual'), url: 'https://bkt.storage.googleapis.com/edge-canary/canary.json' },
    { name: 'unreserved characters kept', location: at('a-b_c.d~e'), url: 'https://storage.googleapis.com/bkt/a-b_c.d~e' },
    { name: 'space and plus', location: at('a b+c'), url: 'https://storage.googleapis.com/bkt/a%20b%2Bc' },
    { name: 'UTF-8 of 2, 3 and 4 bytes', location: at('café/日本/😀'), url: 'https://storage.googleapis.com/bkt/caf%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80' },
    { name: 'sub-delimiters', location: at("!*'()$,;="), url: 'https://storage.googleapis.com/bkt/%21%2A%27%28%29%24%2C%3B%3D' },
    { name: 'percent is data, never decoded', location: at('100%/%20'), url: 'https://storage.googleapis.com/bkt/100%25/%2520' },
    { name: 'query and fragment characters', location: at('a?b#c&d'), url: 'https://storage.googleapis.com/bkt/a%3Fb%23c%26d' },
    { name: 'colon and at sign', location: at('a:b@c'), url: 'https://storage.googleapis.com/bkt/a%3Ab%40c' },
    { name: 'repeated, leading and trailing slashes', location: at('/a//b/'), url: 'https://storage.googleapis.com/bkt//a//b/' },
    { name: 'dots inside a segment', location: at('.well-known/...x'), url: 'https://storage.googleapis.com/bkt/.well-known/...x' },
    { name: 'virtual style with odd name', location: at('a b/é', 'virtual'), url: 'https://bkt.storage.googleapis.com/a%20b/%C3%A9' },
    {
      name: 'host with port',
      location: { host: '127.0.0.1:4443', bucket: 'bkt', object: 'o', urlStyle: 'path' as const },
      url: 'https://127.0.0.1:4443/bkt/o',
    },
  ])('$name', ({ location, url }) => {
    expect(objectUrl(location)).toBe(url);
  });

  it.each([
    { name: 'empty bucket', location: { ...at('o'), bucket: '' }, field: 'bucket' },
    { name: 'empty object', location: at(''), field: 'object' },
    { name: 'empty host', location: { ...at('o'), host: '' }, field: 'host' },
    { name: '"." segment, which fetch would drop', location: at('a/./b'), field: 'object' },
    { name: '".." segment, which fetch would resolve', location: at('a/../b'), field: 'object' },
    { name: 'object named ".."', location: at('..', 'virtual'), field: 'object' },
  ])('rejects $name, naming the field', ({ location, field }) => {
    expect(() => objectUrl(location)).toThrow(SigningInputError);
    expect(() => objectUrl(location)).toThrow(expect.objectContaining({ field }));
  });
});

describe('signObjectRequest', () => {
  const input = (scheme: SigningScheme, overrides: Partial<SignObjectRequestInput> = {}): SignObjectRequestInput => ({
    method: 'GET',
    location: at('edge-canary/canary json', 'virtual'),
    scheme,
    accessId: 'GOOG1EXAMPLEID',
    secret: 'top-secret-value/+=',
    region: 'auto',
    date: new Date('2007-03-27T19:36:42Z'),
    ...overrides,
  });

  it.each([
    { scheme: 'goog4' as const, headers: ['authorization', 'x-goog-content-sha256', 'x-goog-date'], prefix: 'GOOG4-HMAC-SHA256 Credential=GOOG1EXAMPLEID/20070327/auto/storage/goog4_request, SignedHeaders=host;x-goog-content-sha256;x-goog-date, ' },
    { scheme: 'aws4' as const, headers: ['authorization', 'x-amz-content-sha256', 'x-amz-date'], prefix: 'AWS4-HMAC-SHA256 Credential=GOOG1EXAMPLEID/20070327/auto/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, ' },
    { scheme: 'v2' as const, headers: ['authorization', 'date'], prefix: 'AWS GOOG1EXAMPLEID:' },
    { scheme: 'none' as const, headers: [], prefix: undefined },
  ])('$scheme sends exactly $headers, never Host, never the secret', async ({ scheme, headers, prefix }) => {
    const signed = await signObjectRequest(input(scheme));
    expect(signed.url).toBe('https://bkt.storage.googleapis.com/edge-canary/canary%20json');
    expect(Object.keys(signed.headers).sort()).toEqual(headers);
    if (prefix !== undefined) expect(signed.headers.authorization?.startsWith(prefix)).toBe(true);
    expect(JSON.stringify(signed)).not.toContain('top-secret-value');
  });

  it.each(['goog4', 'aws4', 'v2'] as const)('%s: a wrong secret gives a different Authorization', async (scheme) => {
    const right = await signObjectRequest(input(scheme));
    const wrong = await signObjectRequest(input(scheme, { secret: 'top-secret-valuf/+=' }));
    expect(wrong.headers.authorization).not.toBe(right.headers.authorization);
  });

  it('signs HEAD differently from GET', async () => {
    const get = await signObjectRequest(input('goog4'));
    const head = await signObjectRequest(input('goog4', { method: 'HEAD' }));
    expect(head.headers.authorization).not.toBe(get.headers.authorization);
  });

  it.each(['path', 'virtual'] as const)('v2 in %s style signs /<bucket>/<encoded object> with an RFC 1123 Date', async (urlStyle) => {
    const signed = await signObjectRequest(input('v2', { location: at('photos/puppy dog.jpg', urlStyle) }));
    const date = 'Tue, 27 Mar 2007 19:36:42 GMT';
    const expected = createHmac('sha1', 'top-secret-value/+=').update(`GET\n\n\n${date}\n/bkt/photos/puppy%20dog.jpg`).digest('base64');
    expect(signed.headers).toEqual({ date, authorization: `AWS GOOG1EXAMPLEID:${expected}` });
  });

  it('rejects an invalid date instead of signing "Invalid Date"', async () => {
    for (const scheme of ['goog4', 'aws4', 'v2'] as const) {
      await expect(signObjectRequest(input(scheme, { date: new Date('nope') }))).rejects.toThrow(SigningInputError);
    }
  });

  it('rejects an unknown scheme that slipped past config validation', async () => {
    const scheme = 'sigv5' as SigningScheme;
    await expect(signObjectRequest(input(scheme))).rejects.toThrow(/scheme/);
  });
});
