import { describe, expect, it } from 'vitest';
import { inspectCanaryBody, judgeFreshness, MAX_CANARY_BYTES, readCapped } from '../../src/core/canary';
import { crc32c, crc32cFromGoogHash } from '../../src/core/crc32c';
import { googHash } from '../support/fake-platform';

const bytes = (text: string) => ({ bytes: new TextEncoder().encode(text), truncated: false });
const canary = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'edge-canary', version: 1, written_at: '2026-11-26T00:39:23.123Z', sequence: 7, ...fields });

describe('crc32c', () => {
  it('matches the standard check value and GCS header encoding', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    // GCS reports crc32c of "hello world" as yZRlqg== (0xc99465aa).
    expect(crc32cFromGoogHash('crc32c=yZRlqg==,md5=XrY7u+Ae7tCTyyK7j1rNww==')).toEqual({ kind: 'present', crc: 0xc99465aa });
    expect(crc32c(new TextEncoder().encode('hello world'))).toBe(0xc99465aa);
    expect(crc32cFromGoogHash('md5=XrY7u+Ae7tCTyyK7j1rNww==')).toEqual({ kind: 'absent' });
    expect(crc32cFromGoogHash(null)).toEqual({ kind: 'absent' });
  });

  it.each([
    { name: 'not base64', header: 'crc32c=!!' },
    { name: 'empty value', header: 'crc32c=,md5=XrY7u+Ae7tCTyyK7j1rNww==' },
    { name: 'no value at all', header: 'crc32c' },
    { name: 'too short', header: 'crc32c=yZRl' },
    { name: 'too long', header: 'crc32c=yZRlqgAA' },
  ])('reports a crc32c entry that cannot be decoded as malformed, not absent ($name)', ({ header }) => {
    expect(crc32cFromGoogHash(header)).toMatchObject({ kind: 'malformed' });
  });
});

describe('inspectCanaryBody', () => {
  it.each([
    { name: 'valid', body: canary({}), expected: { ok: true } },
    { name: 'extra fields ignored', body: canary({ extra: [1, 2] }), expected: { ok: true } },
    { name: 'not JSON', body: '<html>oops</html>', expected: { ok: false, reason: 'invalid_content' } },
    { name: 'array', body: '[1]', expected: { ok: false, reason: 'invalid_content' } },
    { name: 'wrong kind', body: canary({ kind: 'other' }), expected: { ok: false, reason: 'invalid_content' } },
    { name: 'missing written_at', body: canary({ written_at: undefined }), expected: { ok: false, reason: 'invalid_content' } },
    { name: 'local time written_at', body: canary({ written_at: '2026-11-26T00:39:23+01:00' }), expected: { ok: false, reason: 'invalid_content' } },
    { name: 'impossible date', body: canary({ written_at: '2026-13-45T00:00:00.000Z' }), expected: { ok: false, reason: 'invalid_content' } },
  ])('$name', ({ body, expected }) => {
    expect(inspectCanaryBody(bytes(body), googHash(body))).toMatchObject(expected);
  });

  it('catches a body that does not match its x-goog-hash', () => {
    const body = canary({});
    const verdict = inspectCanaryBody(bytes(body.replace('7', '8')), googHash(body));
    expect(verdict).toMatchObject({ ok: false, reason: 'integrity_mismatch' });
  });

  it.each(['crc32c=!!', 'crc32c=', 'crc32c=AAAA,md5=XrY7u+Ae7tCTyyK7j1rNww=='])(
    'treats a present but malformed crc32c (%s) as integrity_mismatch, not as "no hash"',
    (header) => {
      const verdict = inspectCanaryBody(bytes(canary({})), header);
      expect(verdict).toMatchObject({ ok: false, reason: 'integrity_mismatch' });
      expect(verdict.ok ? '' : verdict.detail).toMatch(/x-goog-hash crc32c ".*" is not 4 bytes of base64/);
    },
  );

  it('rejects a truncated body as invalid_content', () => {
    expect(inspectCanaryBody({ bytes: new Uint8Array(10), truncated: true }, null)).toMatchObject({ reason: 'invalid_content' });
  });

  it('returns written_at and sequence', () => {
    const verdict = inspectCanaryBody(bytes(canary({})), null);
    expect(verdict.ok && verdict.content).toEqual({ writtenAt: '2026-11-26T00:39:23.123Z', writtenAtMs: Date.parse('2026-11-26T00:39:23.123Z'), sequence: 7 });
  });
});

describe('readCapped', () => {
  it('stops reading past 64 KiB and cancels the rest', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const body = await readCapped(endless);
    expect(body).toMatchObject({ truncated: true });
    expect(body.bytes.length).toBe(MAX_CANARY_BYTES);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });
});

describe('judgeFreshness', () => {
  const limits = { warnAgeSeconds: 300, maxAgeSeconds: 900 };
  const now = Date.parse('2026-11-26T01:00:00Z');
  it.each([
    { name: 'fresh', ageS: 12, expected: { status: 'pass', reason: 'ok', ageSeconds: 12 } },
    { name: 'at warn limit', ageS: 300, expected: { status: 'pass', reason: 'ok' } },
    { name: 'past warn', ageS: 301, expected: { status: 'warn', reason: 'stale' } },
    { name: 'past max', ageS: 901, expected: { status: 'fail', reason: 'stale', ageSeconds: 901 } },
    { name: 'slightly ahead (clock slack)', ageS: -30, expected: { status: 'pass', reason: 'ok' } },
    { name: 'ahead', ageS: -120, expected: { status: 'warn', reason: 'future_dated' } },
    { name: 'far ahead', ageS: -3600, expected: { status: 'fail', reason: 'future_dated' } },
  ])('$name', ({ ageS, expected }) => {
    expect(judgeFreshness(now - ageS * 1000, now, limits)).toMatchObject(expected);
  });
});
