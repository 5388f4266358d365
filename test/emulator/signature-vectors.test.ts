import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalQueryV4, canonicalUriV4 } from '../../scripts/emulator/canonical';
import { checkV4Signature, parseV4Authorization } from '../../scripts/emulator/verify-v4';
import { checkV2Signature, parseV2Authorization, stringToSignV2 } from '../../scripts/emulator/verify-v2';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

describe('V4 verifier against the published AWS SigV4 get-vanilla vector', () => {
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
  const request = {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    headers: [['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z']] as const,
  };

  it('accepts the vector signature with the vector secret', () => {
    const auth = parseV4Authorization(authorization);
    const check = checkV4Signature(request, auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z', [EMPTY_SHA256]);
    expect(check.canonicalRequest).toBe(
      ['GET', '/', '', 'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n', 'host;x-amz-date', EMPTY_SHA256].join('\n'),
    );
    expect(check.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(check.expectedSignature).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(check.ok).toBe(true);
  });

  it('rejects the vector signature with any other secret', () => {
    const auth = parseV4Authorization(authorization);
    expect(checkV4Signature(request, auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz', '20150830T123600Z', [EMPTY_SHA256]).ok).toBe(false);
  });

  it('rejects the vector signature when a signed header changed', () => {
    const auth = parseV4Authorization(authorization);
    const moved = { ...request, headers: [['Host', 'example.amazonaws.com:443'], ['X-Amz-Date', '20150830T123600Z']] as const };
    expect(checkV4Signature(moved, auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z', [EMPTY_SHA256]).ok).toBe(false);
  });
});

describe('V4 canonical forms', () => {
  it.each([
    ['/', '/'],
    ['/bucket/a%20b.json', '/bucket/a%20b.json'],
    ['/bucket/plus%2Bsign', '/bucket/plus%2Bsign'],
    ['/bucket/tilde~x', '/bucket/tilde~x'],
    ['/bucket/tilde%7Ex', '/bucket/tilde~x'],
    ['/bucket/caf%c3%a9', '/bucket/caf%C3%A9'],
    ["/bucket/it's(1)*!", '/bucket/it%27s%281%29%2A%21'],
    ['/bucket/dir%2Fobj', '/bucket/dir/obj'],
  ])('path %s canonicalizes to %s', (raw, canonical) => {
    expect(canonicalUriV4(raw)).toBe(canonical);
  });

  it.each([
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1', 'a=1&a=2'],
    ['flag&x=a+b', 'flag=&x=a%20b'],
    ['x=%7e', 'x=~'],
  ])('query %s canonicalizes to %s', (raw, canonical) => {
    expect(canonicalQueryV4(raw)).toBe(canonical);
  });

  it.each([
    'GOOG4-HMAC-SHA256',
    'GOOG4-HMAC-SHA256 Credential=abc',
    'GOOG4-HMAC-SHA256 Credential=ID/20200101/auto/storage/goog4_request, SignedHeaders=host, Signature=nothex',
    'GOOG4-HMAC-SHA256 Credential=ID/2020/auto/storage/goog4_request, SignedHeaders=host, Signature=' + 'a'.repeat(64),
  ])('malformed header %s is refused by the parser', (header) => {
    expect(() => parseV4Authorization(header)).toThrow();
  });
});

describe('V2 string to sign', () => {
  const base = { method: 'GET', rawPath: '/bucket/obj', rawQuery: '' };

  it('uses Date, the extension headers and the bucket-qualified resource', () => {
    const headers = [['Host', 'bucket.storage.googleapis.com'], ['Date', 'Tue, 27 Mar 2007 19:36:42 +0000'], ['X-Goog-Meta-B', ' two  words '], ['x-amz-meta-a', '1']] as const;
    expect(stringToSignV2({ ...base, rawPath: '/obj', headers }, 'bucket')).toBe(
      'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\nx-amz-meta-a:1\nx-goog-meta-b:two words\n/bucket/obj',
    );
  });

  it('leaves the Date line empty when x-goog-date is sent', () => {
    const headers = [['Date', 'ignored'], ['x-goog-date', 'Tue, 27 Mar 2007 19:36:42 +0000']] as const;
    expect(stringToSignV2({ ...base, headers }, null)).toBe('GET\n\n\n\nx-goog-date:Tue, 27 Mar 2007 19:36:42 +0000\n/bucket/obj');
  });

  it('matches the S3 documentation example signature (GET /photos/puppy.jpg)', () => {
    // AWS S3 REST authentication docs, "Object GET" example.
    const request = { method: 'GET', rawPath: '/photos/puppy.jpg', rawQuery: '', headers: [['Host', 'awsexamplebucket1.us-west-1.s3.amazonaws.com'], ['Date', 'Tue, 27 Mar 2007 19:36:42 +0000']] as const };
    const auth = parseV2Authorization('AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=');
    const check = checkV2Signature(request, auth, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'awsexamplebucket1');
    expect(check.stringToSign).toBe('GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg');
    expect(check.ok).toBe(true);
  });
});
