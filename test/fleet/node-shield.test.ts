/**
 * The Node host's shields, from the `shieldingSites` option as [local_server.shielding_sites]
 * declares them: `local` is the shield this process runs on, a remote site is reached over its
 * `encrypted` URL with the request's own path, query and Host, as Viceroy's shield backend does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAbandonment } from '../../src/core/abandon';
import { BackendError } from '../../src/core/types';
import type { LocalManifest } from '../../src/node/manifest';
import { createNodePlatform, type NodePlatform } from '../../src/node/platform';
import { shieldBackendOf, type ShieldingSites } from '../../src/node/shielding-sites';
import { startOrigin, type TestOrigin } from '../node/origin';

const manifest: LocalManifest = { file: 'test.toml', backends: new Map(), configStores: new Map(), secretStores: new Map() };

let platform: NodePlatform | undefined;
let shield: TestOrigin | undefined;

afterEach(async () => {
  platform?.close();
  await shield?.close();
  platform = undefined;
  shield = undefined;
});

function sites(encrypted: string): ShieldingSites {
  return {
    'iad-va-us': { kind: 'local' },
    'bfi-wa-us': { kind: 'remote', encrypted, unencrypted: 'http://127.0.0.1:9/' },
  };
}

describe('Node host shields', () => {
  it('without shielding sites every name is unknown, as on Viceroy', () => {
    platform = createNodePlatform(manifest);
    expect(platform.shield('iad-va-us')).toBeNull();
  });

  it('a local site is the shield this process runs on; a remote one is not; an unlisted one is unknown', () => {
    platform = createNodePlatform(manifest, { shieldingSites: sites('http://127.0.0.1:9/') });
    expect([platform.shield('iad-va-us'), platform.shield('bfi-wa-us'), platform.shield('IAD-VA-US'), platform.shield('toString')])
      .toEqual([{ runningOn: true }, { runningOn: false }, null, null]);
  });

  it("sends to the encrypted URL with the request's path, query and Host", async () => {
    shield = await startOrigin((_request, response) => response.end('{"status":"pass"}'));
    platform = createNodePlatform(manifest, { shieldingSites: sites(`${shield.url}/`) });
    const response = await platform.fetchShield('bfi-wa-us', new Request('http://canary.local:7676/health?scope=shield', { headers: { 'edge-canary-fleet': 'v1;t=1' } }));
    expect([response.status, await response.text()]).toEqual([200, '{"status":"pass"}']);
    expect(shield.received).toHaveLength(1);
    expect(shield.received[0]).toMatchObject({ method: 'GET', path: '/health?scope=shield', headers: { host: 'canary.local:7676', 'edge-canary-fleet': 'v1;t=1' } });
  });

  it('a shield backend has no first-byte timeout, as on Compute and the local Compute host: only the connect timeout', async () => {
    shield = await startOrigin((request, response) => void setTimeout(() => response.end(`slow ${request.url}`), 600));
    const slowBackend = { name: 'slow', url: new URL(shield.url), overrideHost: null, certHost: null, useSni: false };
    const slowManifest: LocalManifest = { ...manifest, backends: new Map([['slow', slowBackend]]) };
    // A first-byte timeout shorter than the answer: the manifest backend (the control) times out, the shield does not.
    platform = createNodePlatform(slowManifest, { shieldingSites: sites(shield.url), timeouts: { firstByteMs: 200 } });
    await expect(platform.fetchBackend('slow', new Request('http://canary.local/slow'))).rejects.toMatchObject({ kind: 'timeout' });
    const response = await platform.fetchShield('bfi-wa-us', new Request('http://canary.local/slow'));
    expect([response.status, await response.text()]).toEqual([200, 'slow /slow']);
  });

  it('a shield backend sends no SNI and overrides no host, as Viceroy and the local Compute host build it', () => {
    expect(shieldBackendOf(sites('https://127.0.0.1:7443/'), 'bfi-wa-us')).toMatchObject({ overrideHost: null, certHost: null, useSni: false });
  });

  it('an unknown or local site has no backend: a connect failure naming it', async () => {
    platform = createNodePlatform(manifest, { shieldingSites: sites('http://127.0.0.1:9/') });
    const request = () => new Request('http://canary.local/health?scope=shield');
    await expect(platform.fetchShield('fra-de', request())).rejects.toEqual(new BackendError('connect_failed', 'shield fra-de is not in local_server.shielding_sites'));
    await expect(platform.fetchShield('iad-va-us', request())).rejects.toEqual(new BackendError('connect_failed', 'shield iad-va-us is the local site: it has no backend to send to'));
  });

  it('an abandoned shield request is aborted, closing its connection', async () => {
    shield = await startOrigin(() => undefined);
    platform = createNodePlatform(manifest, { shieldingSites: sites(shield.url) });
    const abandonment = createAbandonment();
    const pending = platform.fetchShield('bfi-wa-us', new Request('http://canary.local/health?scope=shield'), abandonment);
    await vi.waitFor(() => expect(shield!.received).toHaveLength(1));
    abandonment.abandon();
    await expect(pending).rejects.toBeInstanceOf(BackendError);
    await shield.allConnectionsClosed();
  });
});
