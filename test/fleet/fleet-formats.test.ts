/**
 * Every format carries the fleet view (health+json checks per shield, a `shield` label in metrics,
 * a line per shield in text, a grid in HTML), while the plain /health stays exactly what it was.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, canaryBody, canaryResponse, gcsError } from '../support/fake-platform';
import { promtoolCheckMetrics } from '../support/promtool';
import { PROMTOOL, requireTools } from '../support/required-tool';
import { parseExposition, seriesKey } from '../render/exposition-parser';
import { fleetSecrets, fleetWorld, type FleetWorld } from './fleet-world';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const fresh = () => canaryResponse(canaryBody(new Date(NOW - 5000)));

/** bfi-wa-us cannot read its bucket; the edge and iad-va-us can. */
function brokenBfi(): FleetWorld {
  return fleetWorld({
    now: () => NOW,
    edge: { pop: 'LHR', origin: fresh },
    shields: { 'iad-va-us': { pop: 'IAD', shield: 'iad-va-us', origin: fresh }, 'bfi-wa-us': { pop: 'BFI', shield: 'bfi-wa-us', origin: () => gcsError(403, 'SignatureDoesNotMatch') } },
  });
}

async function get(world: FleetWorld, path: string): Promise<string> {
  return (await world.edge.fetch(new Request(`https://canary.example.org${path}`))).text();
}

describe('the fleet view in every format', () => {
  it('text: the headline, then a line per site, the failing shield with its reason', async () => {
    const text = await get(brokenBfi(), '/health?scope=fleet&format=text');
    const lines = text.split('\n');
    expect(lines[0]).toBe('FAIL edge-canary auth_failed pop=LHR checked=2026-12-01T12:00:00.000Z');
    expect(lines).toContain('fleet 1/2 shields failing');
    expect(lines).toContain('PASS this-pop pop=LHR ok 0ms local');
    expect(lines).toContain('PASS shield iad-va-us pop=IAD ok 0ms http=200');
    const bfi = lines.indexOf('FAIL shield bfi-wa-us pop=BFI auth_failed 0ms http=503');
    expect(lines[bfi + 1]).toBe('  origin: auth_failed (403 SignatureDoesNotMatch)');
    expect(lines).toContain('statuspage partial_outage release 7');
  });

  it('Prometheus: shield-labelled series for each shield, beside the POP\'s own', async () => {
    const parsed = parseExposition(await get(brokenBfi(), '/metrics?scope=fleet'));
    const value = (metric: string, labels: Record<string, string>) => parsed.samples.find((s) => seriesKey(s) === seriesKey({ metric, labels }))?.value;
    expect(value('edge_canary_up', {})).toBe(0);
    expect(value('edge_canary_fleet_shields', {})).toBe(2);
    expect(value('edge_canary_fleet_failing_shields', {})).toBe(1);
    expect(value('edge_canary_shield_up', { shield: 'bfi-wa-us' })).toBe(0);
    expect(value('edge_canary_shield_up', { shield: 'iad-va-us' })).toBe(1);
    expect(value('edge_canary_shield_status', { shield: 'bfi-wa-us', status: 'fail' })).toBe(1);
    expect(value('edge_canary_shield_reason', { shield: 'bfi-wa-us', reason: 'auth_failed' })).toBe(1);
    expect(value('edge_canary_shield_info', { shield: 'iad-va-us', pop: 'IAD', answered_by: 'remote' })).toBe(1);
    expect(value('edge_canary_check_success', { target: 'origin', check: 'fetch' })).toBe(1);
  });

  it('HTML: a grid card per site, the failing shield with its own action, links that keep the scope', async () => {
    const page = await get(brokenBfi(), '/health?scope=fleet&format=html');
    expect(page).toContain('<h2>Fleet: 1/2 shields failing</h2>');
    expect(page).toContain('<h3>This POP (LHR) <span class="pill pass">PASS</span></h3>');
    expect(page).toContain('<h3>Shield iad-va-us <span class="pill pass">PASS</span></h3>');
    expect(page).toContain('<h3>Shield bfi-wa-us <span class="pill fail">FAIL</span></h3>');
    expect(page).toContain('href="?scope=fleet&amp;format=json"');
    expect(page).toContain('href="/metrics?scope=fleet"');
  });

  it('Server-Timing: one entry per shield with its reason', async () => {
    const response = await brokenBfi().edge.fetch(new Request('https://canary.example.org/health?scope=fleet'));
    expect(response.headers.get('server-timing')).toMatch(/^origin;dur=\d+;desc="ok", shield-iad-va-us;dur=\d+;desc="ok", shield-bfi-wa-us;dur=\d+;desc="auth_failed", check;dur=\d+;desc="fresh", total;dur=\d+$/);
    expect(response.headers.get('x-canary-status')).toBe('fail');
  });

  it("HTML: a shield's words are escaped, whatever it sent", async () => {
    const hostile = JSON.stringify({ serviceId: 'edge-canary', status: 'warn', reason: 'stale', pop: '<b>X</b>', output: '<script>alert(1)</script>', checkedAt: new Date(NOW).toISOString(), action: '<img src=x onerror=alert(1)>', statuspage: 'degraded_performance' });
    const world = fleetWorld({ now: () => NOW, edge: { pop: 'LHR', origin: fresh }, hops: { 'bfi-wa-us': () => new Response(hostile, { status: 200 }), 'iad-va-us': () => new Response(hostile, { status: 200 }) } });
    const page = await get(world, '/health?scope=fleet&format=html');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the plain /health is byte for byte the same with the fleet configured and after a fleet check', async () => {
    const secrets = fleetSecrets();
    delete secrets.fleet_key;
    for (const format of ['json', 'text', 'prometheus', 'html']) {
      const without = fleetWorld({ now: () => NOW, edge: { pop: 'LHR', origin: fresh }, config: baseConfig({ result_ttl_ms: '1000' }), secrets });
      const withFleet = brokenBfi();
      await get(withFleet, '/health?scope=fleet');
      // The fleet's own local check is the POP's memoised check: the plain answer after it is shared, as after any check.
      await get(without, '/health');
      expect(await get(withFleet, `/health?format=${format}`), format).toBe(await get(without, `/health?format=${format}`));
    }
  });
});

const [promtool] = requireTools([PROMTOOL]);

describe.skipIf(promtool === undefined)('promtool check metrics (fleet)', () => {
  it('accepts the fleet metrics without lint findings', async () => {
    const text = await get(brokenBfi(), '/metrics?scope=fleet');
    const output = await promtoolCheckMetrics(promtool!, text);
    expect(output).toEqual({ code: 0, output: '' });
  });
});
