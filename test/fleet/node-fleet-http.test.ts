/**
 * Two Node-host canaries over real HTTP on 127.0.0.1: an edge and the shield it asks, each with its
 * own FASTLY_POP and shielding sites, reading one local origin. The signed inner request crosses a
 * real socket, and a shield whose bucket hangs is cut off at the edge's deadline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { CONFIG_STORE, SECRET_STORE } from '../../src/core/types';
import type { LocalManifest, SecretSource } from '../../src/node/manifest';
import { createNodePlatform, type NodePlatform } from '../../src/node/platform';
import { serve, type RunningServer } from '../../src/node/server';
import type { ShieldingSites } from '../../src/node/shielding-sites';
import { startOrigin, type TestOrigin } from '../node/origin';
import { canaryBody, googHash } from '../support/fake-platform';
import { FLEET_KEY } from './fleet-world';

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function manifestFor(bucketUrl: string): LocalManifest {
  const config = new Map(Object.entries({
    bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'none', result_ttl_ms: '1000', deadline_ms: '1000', shields: 'bfi-wa-us',
  }));
  const secrets = new Map<string, SecretSource>([['fleet_key', { kind: 'value', value: FLEET_KEY }]]);
  return {
    file: 'fleet.toml',
    backends: new Map([['gcs', { name: 'gcs', url: new URL(bucketUrl), overrideHost: null, certHost: null, useSni: true }]]),
    configStores: new Map([[CONFIG_STORE, config]]),
    secretStores: new Map([[SECRET_STORE, secrets]]),
  };
}

async function canary(bucket: TestOrigin, pop: string, sites: ShieldingSites): Promise<RunningServer> {
  const platform: NodePlatform = createNodePlatform(manifestFor(bucket.url), { pop, shieldingSites: sites, log: () => undefined });
  const server = await serve(createApp(platform), { port: 0, hostname: '127.0.0.1', closeGraceMs: 0 });
  stops.push(() => server.close(), () => platform.close());
  return server;
}

async function bucket(hang = false): Promise<TestOrigin> {
  const origin = await startOrigin((_request, response) => {
    if (hang) return;
    const body = canaryBody(new Date());
    response.writeHead(200, { 'content-type': 'application/json', 'x-goog-hash': googHash(body) });
    response.end(body);
  });
  stops.push(() => origin.close());
  return origin;
}

describe('the fleet check between two Node-host canaries', () => {
  it('the edge asks the shield over HTTP and reports the POP that answered', async () => {
    const shared = await bucket();
    const shield = await canary(shared, 'BFI', { 'bfi-wa-us': { kind: 'local' } });
    const edge = await canary(shared, 'LHR', { 'bfi-wa-us': { kind: 'remote', encrypted: shield.url, unencrypted: shield.url } });
    const response = await fetch(`${edge.url}/health?scope=fleet`);
    const body = (await response.json()) as { status: string; output: string; checks: Record<string, Array<Record<string, unknown>>> };
    expect([response.status, body.status]).toEqual([200, 'pass']);
    expect(body.output).toBe('ok at 1/1 shields (bfi-wa-us via BFI) and the edge (LHR)');
    expect(body.checks['shield:bfi-wa-us']![0]).toMatchObject({ answeredBy: 'remote', pop: 'BFI', httpStatus: 200 });
  });

  it("a shield whose bucket hangs reports its own timeout before the edge's deadline, and the edge still answers", async () => {
    const shield = await canary(await bucket(true), 'BFI', { 'bfi-wa-us': { kind: 'local' } });
    const edge = await canary(await bucket(), 'LHR', { 'bfi-wa-us': { kind: 'remote', encrypted: shield.url, unencrypted: shield.url } });
    const response = await fetch(`${edge.url}/health?scope=fleet`);
    const body = (await response.json()) as { status: string; statuspage: string; output: string };
    // The only shield down is every shield down: the usual mapping.
    expect([response.status, body.status, body.statuspage]).toEqual([503, 'fail', 'major_outage']);
    // The shield's own check ends at 80 % of deadline_ms, so its timeout report, naming its POP, arrives in time.
    expect(body.output).toBe('timeout at 1/1 shields (bfi-wa-us via BFI); ok at the edge (LHR)');
  });

  it('a client asking the shield directly with scope=shield is refused', async () => {
    const shield = await canary(await bucket(), 'BFI', { 'bfi-wa-us': { kind: 'local' } });
    const response = await fetch(`${shield.url}/health?scope=shield`, { headers: { 'edge-canary-fleet': `v1;t=${Math.floor(Date.now() / 1000)};shield=bfi-wa-us;sig=${'a'.repeat(64)}` } });
    expect([response.status, await response.text()]).toEqual([403, 'refused\n']);
  });
});
