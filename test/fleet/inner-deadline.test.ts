/**
 * A shield whose bucket hangs: its own check, run for the fleet, ends at 80 % of deadline_ms, so
 * its `timeout` report (with its POP) reaches the edge before the edge gives up; that report is not
 * the POP's plain /health, which keeps the full deadline_ms and its own memo.
 */
import { describe, expect, it } from 'vitest';
import { innerDeadlineMs } from '../../src/core/fleet/inner-deadline';
import type { Origin } from '../support/fake-platform';
import { fleetConfig, fleetJson, fleetWorld } from './fleet-world';

const DEADLINE_MS = 400;

/** A bucket that never answers, releasing the request when the check gives up. */
const hanging: Origin = (_request, _backend, abandonment) => new Promise<Response>((_resolve, reject) => {
  abandonment?.onAbandon(() => reject(new Error('abandoned')));
});

function hangingBfi() {
  return fleetWorld({
    config: fleetConfig({ deadline_ms: String(DEADLINE_MS), result_ttl_ms: '5000' }),
    shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: hanging } },
  });
}

describe("the inner check's deadline", () => {
  it('is 80 % of deadline_ms', () => {
    expect([innerDeadlineMs(1000), innerDeadlineMs(8000), innerDeadlineMs(1)]).toEqual([800, 6400, 1]);
  });

  it("a shield whose bucket hangs answers its own timeout, naming its POP, before the edge's deadline", async () => {
    const world = hangingBfi();
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'timeout', 'partial_outage']);
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'fail', reason: 'timeout', pop: 'BFI', httpStatus: 503, answeredBy: 'remote' });
    expect(body.output).toBe('timeout at 1/2 shields (bfi-wa-us via BFI); ok at 1/2 shields (iad-va-us via IAD) and the edge (LHR)');
    // The shield's own action, not the hop's guess.
    expect(body.checks['shield:bfi-wa-us']![0]!.action).not.toMatch(/gave no complete answer/);
  });

  it("that report says the deadline it ran with, and the shield's plain /health does not reuse it", async () => {
    const world = hangingBfi();
    await fleetJson(world);
    const shield = world.apps['bfi-wa-us']!;
    const plain = (await (await shield.fetch(new Request('https://canary.example.org/health'))).json()) as { shared: boolean; action: string };
    const { body } = await fleetJson(world);
    expect(body.checks['shield:bfi-wa-us']![0]!.action).toMatch(/^no complete answer from the bucket within deadline_ms \(320 ms, 1 attempt\)/);
    expect(plain.shared).toBe(false);
    expect(plain.action).toMatch(/^no complete answer from the bucket within deadline_ms \(400 ms, 1 attempt\)/);
    // Its bucket was read twice: once for the fleet (320 ms deadline, then shared by the edge's memo), once for the plain check (400 ms).
    expect(world.platforms['bfi-wa-us']!.requests).toHaveLength(2);
  });
});
