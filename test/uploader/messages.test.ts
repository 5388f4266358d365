import { describe, expect, it } from 'vitest';
import { ApiError } from '@google-cloud/storage';
import { CanaryWriteError, ReadBackMismatchError, RepeatedConflictError } from '../../scripts/uploader/errors';
import { formatWriteResult } from '../../scripts/uploader/output';
import { isTransient } from '../../scripts/uploader/transient';
import { toWriteError } from '../../scripts/uploader/write-error';

function apiError(code: number, message: string): ApiError {
  const error = new ApiError(message);
  error.code = code;
  return error;
}

function networkError(code: string, reason: string): Error {
  return Object.assign(new Error(`request to http://127.0.0.1:4443/b/b/o/o? failed, reason: ${reason}`), { code, type: 'system' });
}

const context = { attempts: 3, endpoint: 'http://127.0.0.1:4443', target: 'gs://b/o' };

describe('write failures', () => {
  it.each([
    { name: 'connection refused', error: networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4443'), transient: true },
    { name: 'connection reset', error: networkError('ECONNRESET', 'socket hang up'), transient: true },
    { name: 'timeout', error: Object.assign(new Error('network timeout at: http://x'), { type: 'request-timeout' }), transient: true },
    { name: '503', error: apiError(503, 'backend unavailable'), transient: true },
    { name: '429', error: apiError(429, 'slow down'), transient: true },
    { name: 'unknown host', error: networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND storage.example'), transient: false },
    { name: '403', error: apiError(403, 'Forbidden'), transient: false },
    { name: '404 bucket', error: apiError(404, 'The specified bucket does not exist.'), transient: false },
    { name: '412', error: apiError(412, 'Precondition Failed'), transient: false },
  ])('$name is transient: $transient', ({ error, transient }) => {
    expect(isTransient(error)).toBe(transient);
  });

  it.each([
    {
      name: 'refused',
      error: networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4443'),
      kind: 'unreachable',
      message: 'cannot reach storage at http://127.0.0.1:4443: connect ECONNREFUSED (3 attempts)',
    },
    { name: '503', error: apiError(503, 'backend\nunavailable'), kind: 'server_error', message: 'storage at http://127.0.0.1:4443 failed writing gs://b/o: 503 backend unavailable (3 attempts)' },
    { name: '403', error: apiError(403, 'Forbidden'), kind: 'rejected', message: 'storage refused writing gs://b/o: 403 Forbidden' },
    { name: 'conflict', error: new RepeatedConflictError('gs://b/o changed again'), kind: 'conflict', message: 'gs://b/o changed again (412 twice: another writer is active)' },
    { name: 'read-back', error: new ReadBackMismatchError('sequence 4, expected 5'), kind: 'verify_failed', message: 'write to gs://b/o not confirmed: sequence 4, expected 5' },
  ])('$name becomes one line: $message', ({ error, kind, message }) => {
    const failure = toWriteError(error, context);
    expect(failure).toBeInstanceOf(CanaryWriteError);
    expect(failure.kind).toBe(kind);
    expect(failure.message).toBe(message);
    expect(failure.message).not.toContain('\n');
  });
});

describe('result lines', () => {
  const result = {
    bucket: 'b',
    object: 'edge-canary/canary.json',
    generation: '1732000000000001',
    sequence: 12,
    writtenAt: '2026-11-26T00:39:23.123Z',
    durationMs: 35,
    attempts: 1,
    conflicts: 0,
    supersededBy: null,
  };

  it('is a sentence by default', () => {
    expect(formatWriteResult(result, false)).toBe('wrote gs://b/edge-canary/canary.json sequence 12 generation 1732000000000001 in 35 ms');
  });

  it('mentions conflicts and retries when there were some', () => {
    expect(formatWriteResult({ ...result, conflicts: 1, attempts: 2 }, false)).toMatch(/ in 35 ms \(1 precondition conflict, 2 attempts\)$/);
  });

  it('is one JSON object with exactly the documented fields under --json', () => {
    expect(JSON.parse(formatWriteResult(result, true))).toEqual({
      bucket: 'b',
      object: 'edge-canary/canary.json',
      generation: '1732000000000001',
      sequence: 12,
      written_at: '2026-11-26T00:39:23.123Z',
      duration_ms: 35,
      superseded_by: null,
    });
  });

  it('says when another writer superseded the write before its read-back', () => {
    const superseded = { ...result, supersededBy: { generation: '1732000000000002', sequence: 13 } };
    expect(formatWriteResult(superseded, false)).toMatch(/ in 35 ms \(superseded before the read-back by sequence 13 generation 1732000000000002 from another writer\)$/);
    expect(JSON.parse(formatWriteResult(superseded, true))).toMatchObject({ superseded_by: { generation: '1732000000000002', sequence: 13 } });
  });
});
