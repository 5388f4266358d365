/**
 * Our own shield refusing our own edge (a fleet_key rotation spreading, a Config Store change not
 * yet everywhere): the shield answers whatever its own `shields` says, a refusal is a warning that
 * vouches for nothing and says what to check, and refusals never flood the shield's log.
 */
import { describe, expect, it } from 'vitest';
import { FLEET_HEADER, INNER_PATH } from '../../src/core/fleet/inner-header';
import { REFUSAL_LOG_WINDOW_SECONDS } from '../../src/core/fleet/refusal-log';
import { fleetConfig, fleetJson, fleetSecrets, fleetWorld } from './fleet-world';

const OTHER_KEY = 'a-rotated-fleet-key-0123456789abcdef0123456789';

describe('a shield refusing the edge', () => {
  it('a shield whose own shields does not list it yet still answers: the signature shows the edge listed it', async () => {
    const world = fleetWorld({
      shields: {
        'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' },
        'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', config: fleetConfig({ shields: 'iad-va-us' }) },
      },
    });
    const { status, body } = await fleetJson(world);
    expect([status, body.status]).toEqual([200, 'pass']);
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ status: 'pass', pop: 'BFI', answeredBy: 'remote' });
  });

  it('a refused hop (fleet_key differs while a rotation spreads) is a warning, Statuspage null for it, never a 503', async () => {
    const world = fleetWorld({
      shields: {
        'iad-va-us': { pop: 'IAD', shield: 'iad-va-us' },
        'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', secrets: fleetSecrets({ fleet_key: OTHER_KEY }) },
      },
    });
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([200, 'warn', 'unexpected_status', 'operational']);
    const site = body.checks['shield:bfi-wa-us']![0]!;
    expect(site).toMatchObject({ status: 'warn', reason: 'unexpected_status', httpStatus: 403, pop: null, statuspage: null });
    expect(site.output).toBe("the shield refused the fleet check's signed request (HTTP 403 refused); why is in that POP's log (\"Fleet inner request refused\")");
    expect(site.action).toMatch(/^shield bfi-wa-us refused the fleet check's signed request: most often fleet_key differs between this POP and bfi-wa-us while a key rotation spreads/);
    expect(body.action).toBe(site.action);
    // The shield's log has the reason; the edge's answer does not.
    expect(world.platforms['bfi-wa-us']!.logs.find((line) => line.msg === 'Fleet inner request refused')).toMatchObject({ kind: 'signature', pop: 'BFI' });
  });

  it('the only shield refusing: nothing vouches, so the fleet has no Statuspage status', async () => {
    const world = fleetWorld({
      config: fleetConfig({ shields: 'bfi-wa-us' }),
      shields: { 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', secrets: fleetSecrets({ fleet_key: OTHER_KEY }) } },
    });
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.statuspage]).toEqual([200, 'warn', null]);
  });

  it('logs one refusal line per kind per window, then again after it', async () => {
    let now = Date.parse('2026-12-01T12:00:00Z');
    const world = fleetWorld({ now: () => now });
    const shield = world.apps['bfi-wa-us']!;
    const ask = (header: string | null) => shield.fetch(new Request(`https://canary.example.org${INNER_PATH}`, { headers: header === null ? {} : { [FLEET_HEADER]: header } }));
    for (let i = 0; i < 20; i++) expect((await ask(null)).status).toBe(403);
    await ask('v1;t=1;shield=x;sig=00');
    const refusals = () => world.platforms['bfi-wa-us']!.logs.filter((line) => line.msg === 'Fleet inner request refused').map((line) => line.kind);
    expect(refusals()).toEqual(['no_header', 'malformed']);
    now += REFUSAL_LOG_WINDOW_SECONDS * 1000 + 1;
    await ask(null);
    expect(refusals()).toEqual(['no_header', 'malformed', 'no_header']);
  });
});
