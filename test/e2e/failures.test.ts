/**
 * Every way the origin path breaks, replayed on the emulator and seen through the real canary:
 * emulator + uploader + canary, one probe per request, on both runtimes.
 */
import { expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { getHealth, objectReads, useRepairedTestStack } from '../support/stack';
import type { Stack } from '../support/stack';

interface Expected {
  http: 200 | 503;
  status: 'pass' | 'fail';
  reason: string;
  httpStatus: number | null;
  errorCode: string | null;
  attempts: number;
}

interface Row {
  name: string;
  breakIt: (stack: Stack) => void;
  expected: Expected;
}

const SKEW_MS = 16 * 60 * 1000;
const accessId = (s: Stack): string => s.accessId ?? '';

const ROWS: Row[] = [
  {
    name: 'healthy → 200 pass',
    breakIt: () => undefined,
    expected: { http: 200, status: 'pass', reason: 'ok', httpStatus: 200, errorCode: null, attempts: 1 },
  },
  {
    name: 'HMAC key rotated on the bucket side (the June 2022 incident) → auth_failed SignatureDoesNotMatch',
    breakIt: (s) => void s.emulator.rotateKey(accessId(s)),
    expected: { http: 503, status: 'fail', reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch', attempts: 1 },
  },
  {
    name: 'access id unknown to the bucket → auth_failed InvalidAccessKeyId',
    breakIt: (s) => void s.emulator.removeKey(accessId(s)),
    expected: { http: 503, status: 'fail', reason: 'auth_failed', httpStatus: 403, errorCode: 'InvalidAccessKeyId', attempts: 1 },
  },
  {
    name: 'canary object deleted → not_found',
    breakIt: (s) => void s.emulator.removeObject(s.bucket, s.object),
    expected: { http: 503, status: 'fail', reason: 'not_found', httpStatus: 404, errorCode: 'NoSuchKey', attempts: 1 },
  },
  {
    name: 'bucket deleted → bucket_missing',
    breakIt: (s) => void s.emulator.removeBucket(s.bucket),
    expected: { http: 503, status: 'fail', reason: 'bucket_missing', httpStatus: 404, errorCode: 'NoSuchBucket', attempts: 1 },
  },
  {
    name: 'persistent 500 → origin_error after the configured 2 attempts',
    breakIt: (s) => void s.emulator.setFault({ type: 'status', status: 500 }),
    expected: { http: 503, status: 'fail', reason: 'origin_error', httpStatus: 500, errorCode: 'InternalError', attempts: 2 },
  },
  {
    name: 'connection reset → connect_failed after 2 attempts',
    breakIt: (s) => void s.emulator.setFault({ type: 'reset' }),
    expected: { http: 503, status: 'fail', reason: 'connect_failed', httpStatus: null, errorCode: null, attempts: 2 },
  },
  {
    name: 'garbage body (an HTML error page with a 200) → invalid_content',
    breakIt: (s) => void s.emulator.setFault({ type: 'garbage' }),
    expected: { http: 503, status: 'fail', reason: 'invalid_content', httpStatus: 200, errorCode: null, attempts: 1 },
  },
  {
    name: 'body corrupted in transit, old x-goog-hash kept → integrity_mismatch',
    breakIt: (s) => void s.emulator.setFault({ type: 'corrupt' }),
    expected: { http: 503, status: 'fail', reason: 'integrity_mismatch', httpStatus: 200, errorCode: null, attempts: 1 },
  },
  {
    name: 'bucket clock 16 min ahead → clock_skew',
    breakIt: (s) => s.emulator.setClockOffset(SKEW_MS),
    expected: { http: 503, status: 'fail', reason: 'clock_skew', httpStatus: 403, errorCode: 'RequestTimeTooSkewed', attempts: 1 },
  },
  {
    name: 'bucket clock 16 min behind → clock_skew',
    breakIt: (s) => s.emulator.setClockOffset(-SKEW_MS),
    expected: { http: 503, status: 'fail', reason: 'clock_skew', httpStatus: 403, errorCode: 'RequestTimeTooSkewed', attempts: 1 },
  },
];

describeOnRuntimes('the canary against the emulator, one failure class at a time', (runtime) => {
  const stack = useRepairedTestStack(runtime);

  it.each(ROWS)('$name', async ({ breakIt, expected }) => {
    breakIt(stack());
    const answer = await getHealth(stack().canary.url);

    expect(answer.httpStatus).toBe(expected.http);
    expect(answer.body.status).toBe(expected.status);
    expect(answer.body.reason).toBe(expected.reason);
    const { reason, httpStatus, errorCode, attempts } = answer.origin;
    expect({ reason, httpStatus, errorCode, attempts }).toEqual({
      reason: expected.reason,
      httpStatus: expected.httpStatus,
      errorCode: expected.errorCode,
      attempts: expected.attempts,
    });
    // Every attempt really reached the emulator: nothing was answered from a cache or a shortcut.
    expect(objectReads(stack())).toHaveLength(expected.attempts);
  });

  it('recovers as soon as the cause is fixed: key restored → pass again', async () => {
    stack().emulator.rotateKey(accessId(stack()));
    expect((await getHealth(stack().canary.url)).body.reason).toBe('auth_failed');
    stack().emulator.restoreKeys();
    const answer = await getHealth(stack().canary.url);
    expect([answer.httpStatus, answer.body.status]).toEqual([200, 'pass']);
  });

  it('reads with a goog4 signature for the signed host, as production does', async () => {
    await getHealth(stack().canary.url);
    const [read] = objectReads(stack());
    expect(read).toMatchObject({
      method: 'GET', host: 'storage.googleapis.com', auth: 'goog4', accessId: stack().accessId,
      bucket: stack().bucket, object: stack().object, verdict: 'ok', status: 200,
    });
  });
});
