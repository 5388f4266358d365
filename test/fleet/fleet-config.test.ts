/**
 * The fleet's configuration: `shields` decoded strictly (every error names its entry), `fleet_key`
 * required, unknown shield codes refused; any of these is `misconfigured` with no fan-out at all.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';
import { parseShields } from '../../src/core/fleet/shields-config';
import { baseConfig } from '../support/fake-platform';
import { fleetConfig, fleetJson, fleetSecrets, fleetWorld } from './fleet-world';

describe('the shields key', () => {
  it.each([
    { name: 'two codes', input: 'iad-va-us,bfi-wa-us', shields: ['iad-va-us', 'bfi-wa-us'] },
    { name: 'spaces around entries', input: ' iad-va-us , paris-fr ', shields: ['iad-va-us', 'paris-fr'] },
    { name: 'an underscore in a code', input: 'london_city-uk', shields: ['london_city-uk'] },
  ])('accepts $name', ({ input, shields }) => {
    expect(parseShields(input)).toEqual({ ok: true, shields });
  });

  it.each([
    { name: 'not set', input: null, errors: ['shields: not set; the fleet check needs the shield codes production uses, comma-separated (e.g. iad-va-us,bfi-wa-us; see docs/fleet.md)'] },
    { name: 'empty', input: '  ', errors: ['shields: is empty; list the shield codes production uses, comma-separated (e.g. iad-va-us,bfi-wa-us)'] },
    { name: 'an empty entry', input: 'iad-va-us,,bfi-wa-us', errors: ['shields: entry 2 is empty (a stray comma?)'] },
    { name: 'a duplicate', input: 'iad-va-us,bfi-wa-us,iad-va-us', errors: ['shields: entry 3 "iad-va-us" is listed twice'] },
    { name: 'a code with capitals', input: 'IAD-VA-US', errors: ['shields: entry 1 "IAD-VA-US" is not a shield code (lowercase letters and digits joined by - or _, e.g. iad-va-us)'] },
    { name: 'a URL', input: 'https://iad.example', errors: ['shields: entry 1 "https://iad.example" is not a shield code (lowercase letters and digits joined by - or _, e.g. iad-va-us)'] },
    { name: 'a code over 32 characters', input: `iad-va-us,${'a'.repeat(33)}`, errors: [`shields: entry 2 "${'a'.repeat(33)}" has 33 characters, at most 32 (Fastly's shield codes are shorter: check the spelling with fastly pops)`] },
    { name: 'nine shields', input: 'a1,a2,a3,a4,a5,a6,a7,a8,a9', errors: ["shields: lists 9 shields, at most 8 fit Compute's 32 backend requests per request; keep the shields production actually uses"] },
  ])('refuses $name, naming the entry', ({ input, errors }) => {
    expect(parseShields(input)).toEqual({ ok: false, errors });
  });

  it('accepts a code of 32 characters', () => {
    expect(parseShields(`${'a'.repeat(32)},iad-va-us`)).toEqual({ ok: true, shields: ['a'.repeat(32), 'iad-va-us'] });
  });

  it('is a known key of canary_config, so a listed store does not call it unknown', () => {
    expect(parseConfig({ get: (key) => baseConfig({ shields: 'iad-va-us' })[key] ?? null, keys: () => Object.keys(baseConfig({ shields: 'x' })) }).ok).toBe(true);
  });
});

describe('a fleet check that cannot run is misconfigured and asks no shield', () => {
  const withoutKey = () => {
    const secrets = fleetSecrets();
    delete secrets.fleet_key;
    return secrets;
  };
  it.each([
    { name: 'without shields', world: () => fleetWorld({ config: baseConfig() }), error: 'shields: not set;' },
    { name: 'without fleet_key', world: () => fleetWorld({ secrets: withoutKey() }), error: 'fleet_key: missing from secret store canary_secrets; the fleet check signs its requests to the shields with it (create one: openssl rand -hex 32)' },
    { name: 'with a short fleet_key', world: () => fleetWorld({ secrets: fleetSecrets({ fleet_key: 'short-key' }) }), error: 'fleet_key: 9 characters in secret store canary_secrets, at least 32 needed (create one: openssl rand -hex 32)' },
    { name: 'with a shield the runtime does not know', world: () => fleetWorld({ config: fleetConfig({ shields: 'iad-va-us,xyz-nowhere' }) }), error: 'shields: entry 2 "xyz-nowhere" is not a shield this runtime knows' },
    { name: 'with a broken POP config', world: () => fleetWorld({ config: fleetConfig({ deadline_ms: 'soon' }) }), error: 'deadline_ms: must be a whole number' },
  ])('$name', async ({ world: make, error }) => {
    const world = make();
    // Only the shields the runtime knows exist; xyz-nowhere must stay unknown.
    world.edgePlatform.shield = (name) => (['iad-va-us', 'bfi-wa-us'].includes(name) ? { runningOn: false } : null);
    const { status, body } = await fleetJson(world);
    expect([status, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'misconfigured', null]);
    expect(body.output).toContain(error);
    expect(world.shieldRequests).toHaveLength(0);
    expect(world.edgePlatform.requests).toHaveLength(0);
  });

  it("never reveals the fleet key, even when it was pasted into shields", async () => {
    // The test key happens to look like a shield code; no runtime knows it.
    const world = fleetWorld({ config: fleetConfig({ shields: `iad-va-us,${fleetSecrets().fleet_key!}` }) });
    world.edgePlatform.shield = (name) => (name === 'iad-va-us' ? { runningOn: false } : null);
    const { body } = await fleetJson(world);
    expect(body.output).toContain('shields: entry 2 "[credential hidden]" has ');
    expect(body.reason).toBe('misconfigured');
    expect(JSON.stringify(body)).not.toContain(fleetSecrets().fleet_key);
  });

  it('a bad shields value leaves the plain /health alone', async () => {
    const world = fleetWorld({ config: fleetConfig({ shields: 'NOT A CODE' }) });
    const plain = await world.edge.fetch(new Request('https://canary.example.org/health'));
    expect(plain.status).toBe(200);
    expect(((await fleetJson(world)).body).reason).toBe('misconfigured');
  });
});

describe('the scope parameter', () => {
  it.each([
    { url: '/health?scope=everywhere', message: 'unknown scope "everywhere"; use one of pop, fleet\n' },
    { url: '/health?scope=FLEET', message: 'unknown scope "FLEET"; use one of pop, fleet\n' },
    { url: '/metrics?scope=Pop', message: 'unknown scope "Pop"; use one of pop, fleet\n' },
    { url: '/health?scope=SHIELD', message: 'unknown scope "SHIELD"; use one of pop, fleet\n' },
    { url: '/metrics?scope=shield', message: 'unknown scope "shield" (scope=shield is the fleet check\'s signed request to /health from one POP to another); use one of pop, fleet\n' },
  ])('$url is 400 naming the scopes', async ({ url, message }) => {
    const world = fleetWorld();
    const response = await world.edge.fetch(new Request(`https://canary.example.org${url}`));
    expect([response.status, await response.text()]).toEqual([400, message]);
    expect(world.shieldRequests).toHaveLength(0);
  });

  it('scope=pop is the plain check, scope=fleet the fleet one, /metrics?scope=fleet the fleet metrics', async () => {
    const world = fleetWorld();
    const pop = await (await world.edge.fetch(new Request('https://canary.example.org/health?scope=pop'))).json() as Record<string, unknown>;
    expect(pop).not.toHaveProperty('scope');
    const fleet = await (await world.edge.fetch(new Request('https://canary.example.org/health?scope=fleet'))).json() as Record<string, unknown>;
    expect(fleet.scope).toBe('fleet');
    const metrics = await (await world.edge.fetch(new Request('https://canary.example.org/metrics?scope=fleet'))).text();
    expect(metrics).toContain('edge_canary_shield_up{shield="bfi-wa-us"} 1');
  });
});
