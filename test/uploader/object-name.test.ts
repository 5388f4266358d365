import { describe, expect, it } from 'vitest';
import { bucketNameProblem, objectNameProblem } from '../../scripts/uploader/object-name';

describe('object names are used literally or refused', () => {
  it.each([
    { name: 'empty', input: '', expected: /empty/ },
    { name: 'star wildcard', input: 'canary/*.json', expected: /"\*"/ },
    { name: 'question mark wildcard', input: 'canary?.json', expected: /"\?"/ },
    { name: 'character class', input: 'canary[0-9].json', expected: /"\["/ },
    { name: 'closing bracket', input: 'canary].json', expected: /"\]"/ },
    { name: 'fragment', input: 'canary.json#x', expected: /"#"/ },
    { name: 'newline', input: 'canary\n.json', expected: /control character/ },
    { name: 'NUL', input: 'canary\u0000', expected: /control character/ },
    { name: 'DEL', input: 'canary\u007f', expected: /control character/ },
    { name: 'C1 control', input: 'canary\u0085', expected: /control character/ },
    { name: 'leading slash', input: '/edge-canary/canary.json', expected: /starts with "\/"/ },
    { name: 'parent segment', input: 'edge-canary/../secrets.json', expected: /"\.\." segment/ },
    { name: 'only a parent segment', input: '..', expected: /"\.\." segment/ },
    { name: 'dot segment', input: 'edge-canary/./canary.json', expected: /segment/ },
    { name: '1025 bytes', input: 'a'.repeat(1025), expected: /longer than 1024 bytes/ },
    { name: '1024 bytes counted in UTF-8', input: 'é'.repeat(513), expected: /longer than 1024 bytes/ },
  ])('refuses $name', ({ input, expected }) => {
    expect(objectNameProblem(input)).toMatch(expected);
  });

  it.each([
    { name: 'the default object', input: 'edge-canary/canary.json' },
    { name: 'a plain name', input: 'canary' },
    { name: 'dots inside a segment', input: 'edge-canary/..canary..json' },
    { name: 'unicode', input: 'edge-canary/kanari\u0101.json' },
    { name: 'exactly 1024 bytes', input: 'a'.repeat(1024) },
  ])('accepts $name', ({ input }) => {
    expect(objectNameProblem(input)).toBeNull();
  });

  it.each([
    { name: 'empty', input: '', expected: /empty/ },
    { name: 'a gs:// URL', input: 'gs://bucket', expected: /no gs:\/\/ prefix/ },
    { name: 'uppercase', input: 'Bucket', expected: /lowercase/ },
    { name: 'a path', input: 'bucket/object', expected: /no slashes/ },
  ])('refuses bucket name: $name', ({ input, expected }) => {
    expect(bucketNameProblem(input)).toMatch(expected);
  });

  it.each(['b', 'edge-canary-local', 'my.bucket_1'])('accepts bucket name %s', (input) => {
    expect(bucketNameProblem(input)).toBeNull();
  });
});
