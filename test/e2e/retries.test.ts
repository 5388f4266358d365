/** Retries and the deadline, end to end: transient 503s are retried, a hang is cut off in time. */
import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../scripts/emulator';
import { describeOnRuntimes } from '../support/runtimes';
import { getHealth, objectReads, useRepairedTestStack } from '../support/stack';

const SERVICE_UNAVAILABLE: FaultSpec = { type: 'status', status: 503 };

describeOnRuntimes('retries and the deadline', (runtime) => {
  const stack = useRepairedTestStack(runtime);

  describe('retries after 5xx', () => {
    it.each([
      { name: 'one 503 then OK, attempts 2 → pass on the 2nd attempt', failures: 1, attempts: 2, http: 200, status: 'pass', reason: 'ok' },
      { name: 'two 503s then OK, attempts 3 → pass on the 3rd attempt', failures: 2, attempts: 3, http: 200, status: 'pass', reason: 'ok' },
      { name: 'two 503s then OK, attempts 2 → the attempts run out: origin_error', failures: 2, attempts: 2, http: 503, status: 'fail', reason: 'origin_error' },
    ])('$name', async ({ failures, attempts, http, status, reason }) => {
      const canary = await stack().startCanary({ attempts: String(attempts) });
      stack().emulator.setFault({ ...SERVICE_UNAVAILABLE, count: failures });

      const answer = await getHealth(canary.url);

      expect([answer.httpStatus, answer.body.status, answer.body.reason]).toEqual([http, status, reason]);
      expect(answer.origin.attempts).toBe(attempts);
      const verdicts = objectReads(stack()).map((entry) => entry.verdict);
      expect(verdicts).toEqual([...Array<string>(failures).fill('ServiceUnavailable'), ...(failures < attempts ? ['ok'] : [])]);
    });

    it('a 403 is final: no retry even with attempts to spare', async () => {
      const canary = await stack().startCanary({ attempts: '3' });
      stack().emulator.rotateKey(stack().accessId ?? '');
      const answer = await getHealth(canary.url);
      expect([answer.httpStatus, answer.body.reason, answer.origin.errorCode, answer.origin.attempts]).toEqual([503, 'auth_failed', 'SignatureDoesNotMatch', 1]);
    });
  });

  describe('deadline', () => {
    const DEADLINE_MS = 1000;

    it('a bucket that accepts the connection and never answers → timeout, answered within deadline_ms + 1 s', async () => {
      const canary = await stack().startCanary({ deadline_ms: String(DEADLINE_MS) });
      stack().emulator.setFault({ type: 'hang' });

      const answer = await getHealth(canary.url);

      expect([answer.httpStatus, answer.body.status, answer.body.reason]).toEqual([503, 'fail', 'timeout']);
      expect(answer.origin).toMatchObject({ reason: 'timeout', httpStatus: null });
      expect(answer.elapsedMs).toBeLessThan(DEADLINE_MS + 1000);
      expect(objectReads(stack())[0]).toMatchObject({ verdict: 'hang', status: 0 });
    });
  });
});
