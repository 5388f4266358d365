import aws4 from 'aws4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectPath, signObjectRequest } from '../../src/core/sign';
import type { SignObjectRequestInput } from '../../src/core/sign';

// Fragments chosen to hit every encoding class: unreserved, sub-delims, gen-delims, '%', '+',
// space, multi-byte UTF-8 (2, 3 and 4 bytes), and repeated or trailing slashes.
const FRAGMENTS = [
  'a', 'Z', '9', '-', '.', '_', '~', ' ', '+', '%', '%20', '!', '*', "'", '(', ')', '/', '//',
  '?', '#', '&', '=', ':', '@', ',', ';', '$', '"', '<', '>', '[', ']', '\\', '^', '`', '{', '|', '}',
  'é', '日本', '😀', '\u00a0', 'canary.json',
];

const isDotSegment = (segment: string): boolean => segment === '.' || segment === '..';

const objectName = fc
  .oneof(
    fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
  )
  .filter((name) => !name.split('/').some(isDotSegment));

const signingInput: fc.Arbitrary<SignObjectRequestInput> = fc.record({
  method: fc.constantFrom('GET' as const, 'HEAD' as const),
  location: fc.record({
    host: fc.constantFrom('storage.googleapis.com', 'storage.example.test', 'localhost:4443'),
    bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/),
    object: objectName,
    urlStyle: fc.constantFrom('path' as const, 'virtual' as const),
  }),
  scheme: fc.constant('aws4' as const),
  accessId: fc.stringMatching(/^GOOG1[A-Z0-9]{10,40}$/),
  secret: fc.oneof(fc.string({ minLength: 1, maxLength: 48 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 })),
  region: fc.oneof(fc.constantFrom('auto', 'us-east-1', 'europe-west4'), fc.stringMatching(/^[a-z]{2,8}-[a-z]{3,9}[0-9]$/)),
  date: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
});

function amzDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '')}Z`;
}

describe('AWS4 signing agrees with the aws4 npm package', () => {
  it('on generated GET/HEAD requests with odd object names, both URL styles, any region and date', async () => {
    await fc.assert(
      fc.asyncProperty(signingInput, async (input) => {
        const ours = await signObjectRequest(input);
        const url = new URL(ours.url);
        // fetch must send the path that was signed, byte for byte.
        expect(new Request(ours.url).url).toBe(ours.url);
        expect(url.pathname).toBe(objectPath(input.location));

        const reference = aws4.sign(
          {
            host: url.host,
            path: url.pathname,
            method: input.method,
            service: 's3',
            region: input.region,
            headers: { 'X-Amz-Date': amzDate(input.date), 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
          },
          { accessKeyId: input.accessId, secretAccessKey: input.secret },
        );
        expect(ours.headers).toEqual({
          authorization: reference.headers?.Authorization,
          'x-amz-date': amzDate(input.date),
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        });
      }),
      { numRuns: 400 },
    );
  });
});
