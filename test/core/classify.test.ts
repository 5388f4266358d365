import { describe, expect, it } from 'vitest';
import { classifyHttpFailure, extractErrorCode, findCacheEvidence, isRetryable } from '../../src/core/classify';

describe('classifyHttpFailure', () => {
  it.each([
    [403, 'SignatureDoesNotMatch', 'auth_failed'],
    [403, 'InvalidAccessKeyId', 'auth_failed'],
    [403, 'AccessDenied', 'auth_failed'],
    [400, 'InvalidSecurity', 'unexpected_status'],
    [403, 'InvalidSecurity', 'auth_failed'],
    [401, null, 'auth_failed'],
    [403, null, 'auth_failed'],
    [403, 'RequestTimeTooSkewed', 'clock_skew'],
    [404, 'NoSuchKey', 'not_found'],
    [404, null, 'not_found'],
    [404, 'NoSuchBucket', 'bucket_missing'],
    [500, 'InternalError', 'origin_error'],
    [503, null, 'origin_error'],
    [302, null, 'unexpected_status'],
    [206, null, 'unexpected_status'],
    [429, 'SlowDown', 'unexpected_status'],
  ] as const)('%i %s -> %s', (status, code, reason) => {
    expect(classifyHttpFailure(status, code)).toBe(reason);
  });

  it('retries only transport failures and 5xx', () => {
    expect(['timeout', 'connect_failed', 'origin_error', 'auth_failed', 'not_found'].filter((r) => isRetryable(r as never)))
      .toEqual(['timeout', 'connect_failed', 'origin_error']);
  });
});

describe('extractErrorCode', () => {
  it('reads <Code> and nothing else', () => {
    const body = "<?xml version='1.0'?><Error><Code>SignatureDoesNotMatch</Code><StringToSign>secret stuff</StringToSign></Error>";
    expect(extractErrorCode(body)).toBe('SignatureDoesNotMatch');
  });
  it.each(['', 'not xml', '<Code><script>alert(1)</script></Code>', `<Code>${'A'.repeat(100)}</Code>`])('ignores %j', (body) => {
    expect(extractErrorCode(body)).toBeNull();
  });
});

describe('findCacheEvidence', () => {
  it.each([
    [{}, null],
    [{ age: '0' }, null],
    [{ age: '37' }, 'served_from_cache'],
    [{ 'x-cache': 'MISS, HIT' }, 'served_from_cache'],
    [{ 'x-cache': 'MISS, MISS' }, null],
    [{ 'fastly-restarts': '1' }, 'served_by_fallback'],
  ])('%j -> %s', (headers, reason) => {
    expect(findCacheEvidence(new Headers(headers))?.reason ?? null).toBe(reason);
  });

  it.each([
    [{ 'x-backend': 'primary' }, null],
    [{ 'x-backend': ' primary ' }, null],
    [{ 'x-backend': 'archive' }, 'served_by_fallback'],
    [{}, 'served_by_fallback'],
  ])('with X-Backend expected to be primary: %j -> %s', (headers, reason) => {
    expect(findCacheEvidence(new Headers(headers), { header: 'x-backend', value: 'primary' })?.reason ?? null).toBe(reason);
  });
});
