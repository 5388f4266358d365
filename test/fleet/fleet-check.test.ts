/**
 * GET /health?scope=fleet through the real app on every POP of an in-process fleet: the verdict,
 * the sentence, Statuspage, the POP that answered, the shield this POP runs on, and the memo.
 */
import { describe, expect, it } from 'vitest';
import { canaryBody, canaryResponse, gcsError } from '../support/fake-platform';
import { fleetConfig, fleetJson, fleetWorld, FLEET_URL } from './fleet-world';

const refused = () => gcsError(403, 'SignatureDoesNotMatch');

describe('the fleet check', () => {
  it('all shields healthy: pass, each shield asked once, the POP that answered named', async () => {
    const world = fleetWorld();
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([200, 'pass', 'ok', 'operational']);
    expect(body.output).toBe('ok at 2/2 shields (iad-va-us via IAD, bfi-wa-us via BFI) and the edge (LHR)');
    expect(body.scope).toBe('fleet');
    expect(body.fleet).toMatchObject({ shieldCount: 2, failingShields: 0, edge: { pop: 'LHR', status: 'pass' } });
    expect(body.checks['shield:iad-va-us']![0]).toMatchObject({ status: 'pass', reason: 'ok', pop: 'IAD', answeredBy: 'remote', httpStatus: 200 });
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'pass', pop: 'BFI', answeredBy: 'remote' });
    // The POP's own checks are all still there.
    expect(body.checks['origin:fetch']![0]).toMatchObject({ status: 'pass' });
    expect(world.shieldRequests.map(({ from, to }) => `${from}->${to}`).sort()).toEqual(['LHR->bfi-wa-us', 'LHR->iad-va-us']);
  });

  it('one shield cannot read the bucket: fail, partial_outage, naming that shield and its reason', async () => {
    const world = fleetWorld({ shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: refused } } });
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'auth_failed', 'partial_outage']);
    expect(body.output).toBe('auth_failed at 1/2 shields (bfi-wa-us via BFI); ok at 1/2 shields (iad-va-us via IAD) and the edge (LHR)');
    expect(body.fleet).toMatchObject({ failingShields: 1 });
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'fail', reason: 'auth_failed', httpStatus: 503, statuspage: 'major_outage' });
    // The action is the shield's own, from its report, and says where.
    expect(body.action).toMatch(/^at shield bfi-wa-us \(BFI\): the bucket rejects this secret/);
  });

  it('every site failing: the usual mapping (major_outage) and a count of all shields', async () => {
    const world = fleetWorld({
      edge: { pop: 'LHR', origin: refused },
      shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us', origin: refused }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: refused } },
    });
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'auth_failed', 'major_outage']);
    expect(body.output).toBe('auth_failed at 2/2 shields (iad-va-us via IAD, bfi-wa-us via BFI) and the edge (LHR)');
  });

  it('every shield failing while the edge reads the bucket: the usual mapping, since production reads through the shields', async () => {
    const world = fleetWorld({
      shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us', origin: refused }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: refused } },
    });
    const { body } = await fleetJson(world);
    expect([body.status, body.statuspage]).toEqual(['fail', 'major_outage']);
    expect(body.output).toBe('auth_failed at 2/2 shields (iad-va-us via IAD, bfi-wa-us via BFI); ok at the edge (LHR)');
  });

  it('a hanging shield is bounded by deadline_ms: timeout at 1/2 shields, the request given up', async () => {
    let abandoned = false;
    const world = fleetWorld({
      config: fleetConfig({ deadline_ms: '300' }),
      hops: {
        'bfi-wa-us': (_request, abandonment) => new Promise<Response>(() => abandonment?.onAbandon(() => void (abandoned = true))),
      },
    });
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'timeout', 'partial_outage']);
    expect(body.output).toBe('timeout at 1/2 shields (bfi-wa-us); ok at 1/2 shields (iad-va-us via IAD) and the edge (LHR)');
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ pop: null, httpStatus: null, output: 'no complete answer from the shield within deadline_ms (300 ms)' });
    expect(abandoned).toBe(true);
  });

  it('never asks the shield this POP runs on: its own check stands for it', async () => {
    const world = fleetWorld({ edge: { pop: 'IAD', shield: 'iad-va-us' } });
    const { body } = await fleetJson(world);
    expect(world.shieldRequests.map(({ to }) => to)).toEqual(['bfi-wa-us']);
    expect(body.checks['shield:iad-va-us']![0]).toMatchObject({ answeredBy: 'local', pop: 'IAD', httpStatus: null, status: 'pass' });
    expect(body.output).toBe('ok at 2/2 shields (iad-va-us via IAD, bfi-wa-us via BFI) and the edge (IAD)');
  });

  it.each([
    { name: 'a 403 that is not the canary\'s refusal', answer: () => new Response('Forbidden by policy\n', { status: 403 }), reason: 'unexpected_status', output: 'the shield answered HTTP 403: Forbidden by policy', statuspage: null },
    { name: 'a page that is not a report', answer: () => new Response('<html>maintenance</html>', { status: 200 }), reason: 'invalid_content', output: 'HTTP 200 but not a canary report (body is not JSON (24 characters))', statuspage: null },
    { name: 'a broken connection', answer: () => Promise.reject(new Error('connection reset')), reason: 'connect_failed', output: 'the shield backend failed: connection reset', statuspage: 'major_outage' },
  ])('a shield answering with $name: fail with reason $reason, saying what came back', async ({ answer, reason, output, statuspage }) => {
    const world = fleetWorld({ hops: { 'bfi-wa-us': answer } });
    const { body } = await fleetJson(world);
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'fail', reason, output, statuspage });
    expect(body.status).toBe('fail');
    expect(body.action).toContain('bfi-wa-us');
  });

  it('one fleet check per POP per result_ttl_ms: a second request shares it, the shields are not asked again', async () => {
    const world = fleetWorld({ config: fleetConfig({ result_ttl_ms: '5000' }) });
    const first = await fleetJson(world);
    const second = await fleetJson(world);
    expect([first.body.shared, second.body.shared]).toEqual([false, true]);
    expect(world.shieldRequests).toHaveLength(2);
  });

  it('the plain /health of the same POP is untouched by the fleet: its own status, its own since', async () => {
    const world = fleetWorld({ shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: refused } } });
    const fleet = await fleetJson(world);
    const plain = await world.edge.fetch(new Request('https://canary.example.org/health'));
    const body = (await plain.json()) as Record<string, unknown>;
    expect([fleet.body.status, plain.status, body.status]).toEqual(['fail', 200, 'pass']);
    expect(body).not.toHaveProperty('scope');
    expect(Object.keys(body.checks as object)).toEqual(['origin:fetch', 'origin:freshness']);
    expect(world.shieldRequests).toHaveLength(2);
  });

  it("remembers the fleet's status since when apart from the POP's own", async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    let bfiBroken = false;
    const fresh = () => canaryResponse(canaryBody(new Date(now)));
    const world = fleetWorld({
      now: () => now,
      edge: { pop: 'LHR', origin: fresh },
      shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us', origin: fresh }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: () => (bfiBroken ? refused() : fresh()) } },
    });
    const sinceOf = async (url: string) => ((await (await world.edge.fetch(new Request(url))).json()) as { since: string; previousStatus: string | null });
    await sinceOf(FLEET_URL);
    now += 60_000;
    bfiBroken = true;
    const failing = await sinceOf(FLEET_URL);
    const plain = await sinceOf('https://canary.example.org/health');
    expect(failing).toMatchObject({ since: '2026-12-01T10:01:00.000Z', previousStatus: 'pass' });
    expect(plain).toMatchObject({ since: '2026-12-01T10:00:00.000Z', previousStatus: null });
  });
});
