import { describe, expect, it } from 'vitest';
import { signV2, signV4 } from '../../src/core/sign';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('SigV4 against the published AWS test suite', () => {
  it('get-vanilla produces the published canonical request, string to sign and signature', async () => {
    const signed = await signV4({
      algorithm: 'AWS4',
      service: 'service',
      region: 'us-east-1',
      method: 'GET',
      url: 'https://example.amazonaws.com/',
      headers: {},
      payloadHash: EMPTY_SHA256,
      date: new Date('2015-08-30T12:36:00Z'),
      accessId: 'AKIDEXAMPLE',
      secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    expect(signed.canonicalRequest).toBe(
      ['GET', '/', '', 'host:example.amazonaws.com', 'x-amz-date:20150830T123600Z', '', 'host;x-amz-date', EMPTY_SHA256].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n'
        + 'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    expect(signed.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
        + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(signed.headers).toEqual({ 'x-amz-date': '20150830T123600Z', authorization: signed.authorization });
  });
});

describe('SigV2 against the examples in the Amazon S3 REST authentication guide', () => {
  const credentials = { accessId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  it.each([
    {
      name: 'object GET',
      input: { method: 'GET', date: 'Tue, 27 Mar 2007 19:36:42 +0000', resource: '/johnsmith/photos/puppy.jpg' },
      signature: 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=',
    },
    {
      name: 'object PUT with a content type',
      input: { method: 'PUT', contentType: 'image/jpeg', date: 'Tue, 27 Mar 2007 21:15:45 +0000', resource: '/johnsmith/photos/puppy.jpg' },
      signature: 'MyyxeRY7whkBe+bq8fHCL/2kKUg=',
    },
    {
      name: 'bucket listing',
      input: { method: 'GET', date: 'Tue, 27 Mar 2007 19:42:41 +0000', resource: '/johnsmith/' },
      signature: 'htDYFYduRNen8P9ZfE/s9SuKy0U=',
    },
    {
      name: 'upload with Content-MD5 and mixed-case x-amz-* headers',
      input: {
        method: 'PUT',
        contentMd5: '4gJE4saaMU4BqNR0kLY+lw==',
        contentType: 'application/x-download',
        date: 'Tue, 27 Mar 2007 21:06:08 +0000',
        extensionHeaders: {
          'X-Amz-Acl': 'public-read',
          'X-Amz-Meta-ReviewedBy': 'joe@johnsmith.net,jane@johnsmith.net',
          'X-Amz-Meta-FileChecksum': '0x02661779',
          'X-Amz-Meta-ChecksumAlgorithm': 'crc32',
        },
        resource: '/static.johnsmith.net/db-backup.dat.gz',
      },
      signature: 'ilyl83RwaSoYIEdixDQcA4OnAnc=',
    },
  ])('$name', async ({ input, signature }) => {
    const signed = await signV2({ ...input, ...credentials });
    expect(signed.authorization).toBe(`AWS AKIAIOSFODNN7EXAMPLE:${signature}`);
  });

  it('puts the documented GET string to sign together', async () => {
    const signed = await signV2({
      method: 'GET', date: 'Tue, 27 Mar 2007 19:36:42 +0000', resource: '/johnsmith/photos/puppy.jpg', ...credentials,
    });
    expect(signed.stringToSign).toBe('GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg');
  });
});
