/**
 * The fleet check is no amplifier: a client's copy of the header goes nowhere, an inner request
 * never fans out again, one fleet request costs at most one backend request per shield, and the
 * whole stays inside Compute's 32 backend requests per request.
 */
import { describe, expect, it } from 'vitest';
import { FLEET_HEADER, INNER_PATH, signInnerHeader } from '../../src/core/fleet/inner-header';
import { fleetConfig, fleetJson, fleetWorld, FLEET_KEY, type PopSpec } from './fleet-world';

const EIGHT = ['iad-va-us', 'bfi-wa-us', 'dca-dc-us', 'chi-il-us', 'sjc-ca-us', 'lhr-uk', 'fra-de', 'nrt-jp'];
const FOUR_ORIGINS = JSON.stringify(['primary', 'fallback', 'fallback', 'fallback'].map((role, index) => ({
  role, backend: `b${index}`, bucket: `files-${index}`, object: 'edge-canary/canary.json', signing: 'none',
})));
const EDGE_URL = 'https://files.example.org/edge-canary/canary.json';

/** Four origins instead of the flat bucket/object keys (which cannot stand beside them). */
function fourOrigins(extra: Record<string, string>): Record<string, string> {
  const { bucket: _bucket, object: _object, ...rest } = fleetConfig({ shields: EIGHT.join(','), origins: FOUR_ORIGINS, edge_url: EDGE_URL, ...extra });
  return rest;
}

function eightShields(): Record<string, PopSpec> {
  return Object.fromEntries(EIGHT.map((code) => [code, { pop: code.slice(0, 3).toUpperCase(), shield: code }]));
}

describe('no amplifier', () => {
  it("a client's fleet header is never forwarded: each shield gets the edge's own signature", async () => {
    const forged = `v1;t=${Math.floor(Date.now() / 1000)};shield=bfi-wa-us;sig=${'0'.repeat(64)}`;
    const world = fleetWorld();
    const { body } = await fleetJson(world, { headers: { [FLEET_HEADER]: forged } });
    expect(body.status).toBe('pass');
    expect(world.shieldRequests).toHaveLength(2);
    for (const { to, request } of world.shieldRequests) {
      expect(new URL(request.url).pathname + new URL(request.url).search).toBe(INNER_PATH);
      const sent = request.headers.get(FLEET_HEADER)!;
      expect(sent).not.toBe(forged);
      expect(sent).toMatch(new RegExp(`^v1;t=\\d+;shield=${to};sig=[0-9a-f]{64}$`));
    }
  });

  it('the plain /health ignores a client header: no fan-out, the usual answer', async () => {
    const world = fleetWorld();
    const header = await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, Date.now());
    const response = await world.edge.fetch(new Request('https://canary.example.org/health', { headers: { [FLEET_HEADER]: header } }));
    expect(response.status).toBe(200);
    expect(world.shieldRequests).toHaveLength(0);
  });

  it('an inner request never fans out, even at a POP configured for the fleet: no loop', async () => {
    const world = fleetWorld();
    const header = await signInnerHeader(FLEET_KEY, 'bfi-wa-us', INNER_PATH, Date.now());
    const response = await world.apps['bfi-wa-us']!.fetch(new Request(`https://canary.example.org${INNER_PATH}`, { headers: { [FLEET_HEADER]: header } }));
    expect(response.status).toBe(200);
    expect(world.shieldRequests).toHaveLength(0);
  });

  it('one fleet request costs exactly one request per remote shield, however many POPs take part', async () => {
    const world = fleetWorld({ config: fleetConfig({ shields: EIGHT.join(',') }), shields: eightShields() });
    await fleetJson(world);
    expect(world.shieldRequests.map(({ to }) => to).sort()).toEqual([...EIGHT].sort());
    // Each shield read its bucket once and asked nobody.
    for (const code of EIGHT) expect(world.platforms[code]!.requests).toHaveLength(1);
  });

  it('with the most origins, retries and 8 shields, the edge sends at most 32 backend requests', async () => {
    const world = fleetWorld({
      config: fourOrigins({ attempts: '4', deadline_ms: '8000' }),
      shields: eightShields(),
      backends: ['b0', 'b1', 'b2', 'b3', 'edge'],
      edge: { pop: 'LHR', origin: () => new Response('busy', { status: 503 }) },
    });
    const { body } = await fleetJson(world);
    expect(body.checks['origin:primary:fetch']![0]).toMatchObject({ reason: 'origin_error', attempts: 4 });
    const sent = world.edgePlatform.requests.length + world.shieldRequests.filter(({ from }) => from === 'LHR').length;
    expect(sent).toBe(5 * 4 + 8);
    expect(sent).toBeLessThanOrEqual(32);
  });

  it('a configuration that could exceed 32 backend requests is refused before anything is sent', async () => {
    const world = fleetWorld({ config: fourOrigins({ attempts: '5' }), shields: eightShields(), backends: ['b0', 'b1', 'b2', 'b3', 'edge'] });
    const { status, body } = await fleetJson(world);
    expect([status, body.reason, body.statuspage]).toEqual([503, 'misconfigured', null]);
    expect(body.output).toBe("config: shields: 8 shields plus up to 25 backend requests of this POP's own check (5 targets × attempts 5) make 33, and Compute allows 32 per request: list at most 7 shields, or lower attempts");
    expect([world.edgePlatform.requests.length, world.shieldRequests.length]).toEqual([0, 0]);
  });
});
