/**
 * DESIGN.md §3, retries against the deadline: a retry cut off by the deadline leaves the last
 * complete outcome, no retry starts with less than MIN_ATTEMPT_MS left, and an abandoned attempt
 * lets go of its request and body.
 */
import { describe, expect, it } from 'vitest';
import type { Abandonment } from '../../src/core/abandon';
import { runHealthCheck } from '../../src/core/check';
import { MIN_ATTEMPT_MS } from '../../src/core/probe';
import { baseConfig, canaryBody, canaryResponse, fakePlatform, gcsError, type Origin } from '../support/fake-platform';

const never = () => new Promise<Response>(() => undefined);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers the n-th request (from 0) with answers[n], the last one repeating. */
function inTurn(...answers: Origin[]): Origin {
  let calls = 0;
  return (request, backend, abandonment) => answers[Math.min(calls++, answers.length - 1)]!(request, backend, abandonment);
}

/** A 200 whose body sends one byte every 20 ms and never ends, like a dripping origin. */
function drippingResponse(onCancel: () => void): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await delay(20);
      controller.enqueue(new Uint8Array([0x20]));
    },
    cancel: onCancel,
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

async function originCheck(origin: Origin, config: Record<string, string>) {
  const platform = fakePlatform({ origin, config: baseConfig(config) });
  const report = await runHealthCheck(platform);
  return { report, fetch: report.results[0]!.fetch, platform };
}

describe('a retry cut off by the deadline', () => {
  it('keeps the 503 it had instead of turning it into timeout', async () => {
    // 2 s, not less: on a loaded machine the first attempt can take long enough that under
    // MIN_ATTEMPT_MS would be left, and then no second attempt starts at all.
    const { report, fetch } = await originCheck(inTurn(() => gcsError(503, 'InternalError'), never), { deadline_ms: '2000', attempts: '2' });
    expect([report.reason, fetch.reason, fetch.httpStatus, fetch.errorCode, fetch.attempts]).toEqual(['origin_error', 'origin_error', 503, 'InternalError', 2]);
    expect(report.output).toBe('origin: origin_error (503 InternalError)');
    expect(fetch.detail).toBe('HTTP 503 InternalError; attempt 2 cut off by the deadline');
  });

  it('is timeout when no attempt completed at all', async () => {
    const { fetch } = await originCheck(never, { deadline_ms: '150', attempts: '3' });
    expect([fetch.reason, fetch.httpStatus, fetch.attempts]).toEqual(['timeout', null, 1]);
  });
});

describe(`no retry starts with less than MIN_ATTEMPT_MS (${MIN_ATTEMPT_MS} ms) left`, () => {
  it('a 503 that arrives late is reported as it is, without a retry the deadline would cut off', async () => {
    const late503: Origin = async () => {
      await delay(350);
      return gcsError(503, 'InternalError');
    };
    const { fetch, platform } = await originCheck(inTurn(late503, never), { deadline_ms: '700', attempts: '3' });
    expect([fetch.reason, fetch.httpStatus, fetch.attempts]).toEqual(['origin_error', 503, 1]);
    expect(platform.requests).toHaveLength(1);
  });

  it('with time to spare, the retry still runs', async () => {
    const { fetch, platform } = await originCheck(inTurn(() => gcsError(503, 'InternalError'), () => canaryResponse(canaryBody(new Date()))), { deadline_ms: '2000', attempts: '2' });
    expect([fetch.reason, fetch.attempts, platform.requests.length]).toEqual(['ok', 2, 2]);
  });
});

describe('an attempt abandoned at the deadline', () => {
  it('cancels the body of a dripping origin', async () => {
    let cancelled = false;
    const { fetch } = await originCheck(() => drippingResponse(() => { cancelled = true; }), { deadline_ms: '200', attempts: '1' });
    expect(fetch.reason).toBe('timeout');
    await expect.poll(() => cancelled, { timeout: 2000 }).toBe(true);
  });

  it('tells the platform, so it can abort a request that has not answered yet', async () => {
    const seen: Abandonment[] = [];
    await originCheck((_request, _backend, abandonment) => {
      if (abandonment) seen.push(abandonment);
      return never();
    }, { deadline_ms: '150', attempts: '1' });
    expect(seen.map((abandonment) => abandonment.abandoned)).toEqual([true]);
  });

  it('cancels the body of a response that arrives after the deadline', async () => {
    let cancelled = false;
    const lateAnswer: Origin = async () => {
      await delay(300);
      return drippingResponse(() => { cancelled = true; });
    };
    const { fetch } = await originCheck(lateAnswer, { deadline_ms: '150', attempts: '1' });
    expect(fetch.reason).toBe('timeout');
    await expect.poll(() => cancelled, { timeout: 2000 }).toBe(true);
  });
});
