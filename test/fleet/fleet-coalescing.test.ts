/**
 * The fleet check only exists coalesced: a window too short to share (result_ttl_ms below 1000) is
 * a configuration error, and a POP whose memo fails answers with its own check and asks no shield,
 * so concurrent fleet requests never multiply into shield requests.
 */
import { describe, expect, it } from 'vitest';
import { fleetConfig, fleetJson, fleetWorld } from './fleet-world';

const CONCURRENT = 5;

async function concurrently(world: ReturnType<typeof fleetWorld>) {
  return Promise.all(Array.from({ length: CONCURRENT }, () => fleetJson(world)));
}

describe('fleet coalescing', () => {
  it(`${CONCURRENT} concurrent fleet requests ask each shield once`, async () => {
    const world = fleetWorld();
    const answers = await concurrently(world);
    expect(answers.map(({ body }) => body.status)).toEqual(Array(CONCURRENT).fill('pass'));
    expect(world.shieldRequests.map(({ to }) => to).sort()).toEqual(['bfi-wa-us', 'iad-va-us']);
  });

  it.each(['0'])('result_ttl_ms %s is misconfigured for scope=fleet, naming the key and why; nothing is sent', async (ttl) => {
    const world = fleetWorld({ config: fleetConfig({ result_ttl_ms: ttl }) });
    const answers = await concurrently(world);
    const { status, body } = answers[0]!;
    expect([status, body.reason, body.statuspage]).toEqual([503, 'misconfigured', null]);
    expect(body.output).toContain(`result_ttl_ms: ${ttl} ms, and scope=fleet needs at least 1000`);
    expect(body.output).toContain('would ask every shield for every request');
    expect(world.shieldRequests).toHaveLength(0);
  });

  it('the plain /health keeps result_ttl_ms 0', async () => {
    const world = fleetWorld({ config: fleetConfig({ result_ttl_ms: '0' }) });
    const response = await world.edge.fetch(new Request('https://canary.example.org/health'));
    expect(response.status).toBe(200);
  });

  it("the memo failing: each request answers with this POP's own check, the shields not asked", async () => {
    const world = fleetWorld({ edgeMemoFails: true });
    const answers = await concurrently(world);
    expect(world.shieldRequests).toHaveLength(0);
    // Each request ran this POP's own check once, nothing more.
    expect(world.edgePlatform.requests).toHaveLength(CONCURRENT);
    const { status, body } = answers[0]!;
    expect([status, body.status, body.reason, body.statuspage]).toEqual([200, 'warn', 'not_asked', null]);
    expect(body.output).toBe('not_asked at 2/2 shields (iad-va-us, bfi-wa-us); ok at the edge (LHR)');
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'warn', reason: 'not_asked', pop: null, statuspage: null });
    expect(body.checks['shield:bfi-wa-us']![0]!.output).toMatch(/^not asked: this POP's SimpleCache failed/);
    expect(body.action).toMatch(/^shield iad-va-us was not asked: the fleet check could not be shared at POP LHR/);
  });

  it('the memo failing at a shield POP: the shield it runs on is still its own check', async () => {
    const world = fleetWorld({ edgeMemoFails: true, edge: { pop: 'IAD', shield: 'iad-va-us' } });
    const { body } = await fleetJson(world);
    expect(world.shieldRequests).toHaveLength(0);
    expect(body.checks['shield:iad-va-us']![0]).toMatchObject({ status: 'pass', answeredBy: 'local', statuspage: 'operational' });
    // Only the shield this POP runs on vouches: the page follows it.
    expect(body.statuspage).toBe('operational');
  });
});
