/**
 * The fleet check end to end, on both runtimes: an edge canary and one canary per shield (each
 * with its own POP code and its own route to the bucket), `/health?scope=fleet` on the edge.
 * The inner header is signed here independently, from the documented wire format.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFleet } from '../../scripts/stack/fleet';
import type { Fleet } from '../../scripts/stack/fleet';
import { describeOnRuntimes } from '../support/runtimes';
import { objectReads, repairStack, TEST_DEADLINE_MS } from '../support/stack';

const SHIELDS = ['iad-va-us', 'bfi-wa-us'];
const FLEET_KEY = 'fleet-test-key-0123456789abcdef0123456789abcdef';
const INNER_PATH = '/health?scope=shield';
const RESULT_TTL_MS = 1000;

interface SiteCheck {
  status: string;
  reason: string;
  pop: string | null;
  answeredBy: string;
  output: string;
}

interface FleetBody {
  status: string;
  reason: string;
  output: string;
  statuspage: string | null;
  pop: string;
  scope?: string;
  fleet?: { shieldCount: number; failingShields: number };
  checks: Record<string, SiteCheck[]>;
}

function innerHeader(shield: string, unixSeconds: number, key = FLEET_KEY): string {
  const sig = createHmac('sha256', key).update(`edge-canary-fleet\nv1\n${unixSeconds}\n${shield}\n${INNER_PATH}`).digest('hex');
  return `v1;t=${unixSeconds};shield=${shield};sig=${sig}`;
}

const now = () => Math.floor(Date.now() / 1000);

describeOnRuntimes('the fleet check', (runtime) => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      runtime,
      shields: SHIELDS,
      fleetKey: FLEET_KEY,
      canaryPort: 0,
      emulatorPort: 0,
      uploaderIntervalMs: 60_000,
      // The shortest window scope=fleet accepts; each test waits it out, so none sees another's result.
      config: { result_ttl_ms: String(RESULT_TTL_MS), deadline_ms: String(TEST_DEADLINE_MS) },
      platform: { log: () => undefined },
    });
  }, 120_000);

  afterEach(async () => {
    for (const shield of fleet.shields) shield.path.restore();
    await repairStack(fleet.stack);
    await new Promise((resolve) => setTimeout(resolve, RESULT_TTL_MS + 100));
  });

  afterAll(() => fleet?.close());

  const shieldNamed = (code: string) => {
    const found = fleet.shields.find((shield) => shield.code === code);
    if (found === undefined) throw new Error(`no shield ${code}`);
    return found;
  };

  async function askFleet(headers: Record<string, string> = {}): Promise<{ httpStatus: number; body: FleetBody }> {
    const response = await fetch(fleet.fleetUrl, { headers: { accept: 'application/health+json', ...headers } });
    return { httpStatus: response.status, body: (await response.json()) as FleetBody };
  }

  const site = (body: FleetBody, code: string): SiteCheck | undefined => body.checks[`shield:${code}`]?.[0];

  it('every shield healthy: pass, each shield answered by its own POP, one read per site', async () => {
    const before = objectReads(fleet.stack).length;
    const { httpStatus, body } = await askFleet();

    expect([httpStatus, body.status, body.statuspage, body.scope]).toEqual([200, 'pass', 'operational', 'fleet']);
    expect(body.fleet).toMatchObject({ shieldCount: 2, failingShields: 0 });
    for (const code of SHIELDS) expect(site(body, code)).toMatchObject({ status: 'pass', pop: code, answeredBy: 'remote' });
    // The edge's own check and one per shield: no shield asked twice, none fanned out again.
    expect(objectReads(fleet.stack).length - before).toBe(SHIELDS.length + 1);
  });

  it("one shield's route to the bucket hangs: partial_outage naming it, the others pass", async () => {
    shieldNamed('bfi-wa-us').path.hang();
    const { httpStatus, body } = await askFleet();

    expect([httpStatus, body.status, body.statuspage]).toEqual([503, 'fail', 'partial_outage']);
    expect(body.output).toContain('1/2 shields');
    expect(body.output).toContain('bfi-wa-us');
    // The shield's own check ends at 80 % of deadline_ms: its own timeout report, with its POP, arrives in time.
    expect(site(body, 'bfi-wa-us')).toMatchObject({ status: 'fail', reason: 'timeout', pop: 'bfi-wa-us', answeredBy: 'remote' });
    expect(site(body, 'iad-va-us')).toMatchObject({ status: 'pass', pop: 'iad-va-us' });
  });

  it('every site broken (the key rotated): the usual major outage, auth_failed at 2/2 shields', async () => {
    fleet.stack.emulator.rotateKey(fleet.stack.accessId ?? '');
    const { httpStatus, body } = await askFleet();

    expect([httpStatus, body.status, body.reason, body.statuspage]).toEqual([503, 'fail', 'auth_failed', 'major_outage']);
    expect(body.output).toContain('auth_failed at 2/2 shields');
    for (const code of SHIELDS) expect(site(body, code)).toMatchObject({ status: 'fail', reason: 'auth_failed', pop: code });
  });

  it('a shield accepts a correctly signed inner request (the control for the refusals below)', async () => {
    const shield = shieldNamed('bfi-wa-us');
    const response = await fetch(`${shield.canary.url}${INNER_PATH}`, { headers: { 'edge-canary-fleet': innerHeader('bfi-wa-us', now()) } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as FleetBody).pop).toBe('bfi-wa-us');
  });

  it.each([
    { name: 'a forged signature', header: () => innerHeader('bfi-wa-us', now(), 'not-the-fleet-key-0123456789abcdef0123') },
    { name: 'a stale header (signed two minutes ago)', header: () => innerHeader('bfi-wa-us', now() - 120) },
    { name: 'a header signed for another shield', header: () => innerHeader('iad-va-us', now()) },
    { name: 'no header at all', header: () => null },
  ])('a shield refuses $name with 403, and reads nothing', async ({ header }) => {
    const shield = shieldNamed('bfi-wa-us');
    const before = objectReads(fleet.stack).length;
    const value = header();
    const response = await fetch(`${shield.canary.url}${INNER_PATH}`, { headers: value === null ? {} : { 'edge-canary-fleet': value } });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('refused\n');
    expect(objectReads(fleet.stack).length).toBe(before);
  });

  it('no loop: a client that sends the edge an inner header still gets one fleet check, one read per site', async () => {
    const before = objectReads(fleet.stack).length;
    const { body } = await askFleet({ 'edge-canary-fleet': innerHeader('iad-va-us', now()) });
    expect(body.scope).toBe('fleet');
    expect(objectReads(fleet.stack).length - before).toBe(SHIELDS.length + 1);
  });

  it('no loop: a shield answering an inner request runs its own check only, though it knows the other shields', async () => {
    const shield = shieldNamed('iad-va-us');
    const before = objectReads(fleet.stack).length;
    const response = await fetch(`${shield.canary.url}${INNER_PATH}`, { headers: { 'edge-canary-fleet': innerHeader('iad-va-us', now()) } });
    const body = (await response.json()) as FleetBody;
    expect([response.status, body.scope, body.fleet]).toEqual([200, undefined, undefined]);
    expect(objectReads(fleet.stack).length - before).toBe(1);
  });
});
