/**
 * fastly_shielding on the local Compute host, through js-compute's own `Shield` builtin
 * (fixtures/shield-guest.js, built once for this file): what `new Shield()`, `runningOn()` and
 * the shield backends do with `[local_server.shielding_sites]`, as Viceroy does it.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../scripts/stack/wasm-artifact';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let dir: TempDir;
let host: HostUnderTest;
const servers: Server[] = [];
const seen: Record<'encrypted' | 'unencrypted', Seen[]> = { encrypted: [], unencrypted: [] };

async function shieldOrigin(kind: 'encrypted' | 'unencrypted'): Promise<string> {
  const server = createServer((req, res) => {
    seen[kind].push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/slow') return void setTimeout(() => res.end('slow'), 600);
    res.end(`${kind} land`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = makeTempDir('edge-canary-shield-guest-');
  const wasm = join(dir.path, 'shield-guest.wasm');
  const [encrypted, unencrypted] = await Promise.all([shieldOrigin('encrypted'), shieldOrigin('unencrypted'), buildWasm(wasm, 'test/compute-host/fixtures/shield-guest.js')]);
  host = await startHost(wasm, {
    workers: 2,
    // A first-byte timeout shorter than /slow: a manifest backend would fail, a shield backend has none.
    timeouts: { firstByteMs: 200 },
    manifest: manifestOf(`
[local_server.shielding_sites]
"pdx-or-us" = "Local"
"bfi-wa-us".encrypted = "${encrypted}"
"bfi-wa-us".unencrypted = "${unencrypted}"
"down-xx".encrypted = "http://127.0.0.1:1"
"down-xx".unencrypted = "http://127.0.0.1:1"
`),
  });
}, 120_000);

afterAll(async () => {
  await host?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  dir?.remove();
});

const get = async (path: string) => {
  const response = await fetch(`${host.url}${path}`);
  return { status: response.status, text: await response.text() };
};

describe('new Shield(name)', () => {
  it('knows the sites of the manifest: runningOn() is true only for the "Local" one', async () => {
    expect(await get('/shield?name=pdx-or-us')).toEqual({ status: 200, text: '{"runningOn":true}' });
    expect(await get('/shield?name=bfi-wa-us')).toEqual({ status: 200, text: '{"runningOn":false}' });
  });

  it('throws for a name the manifest does not list; names are case-sensitive, as in Viceroy', async () => {
    for (const name of ['waffle-cone', 'BFI-WA-US', '']) {
      const answer = await get(`/shield?name=${name}`);
      expect(answer).toEqual({ status: 500, text: expect.stringMatching(/^Error: constructor: Invalid argument\./) });
    }
  });
});

describe('the shield backends', () => {
  it('encryptedBackend() reaches the encrypted URL with the path and query, the Host of the request URL', async () => {
    expect(await get('/fetch?name=bfi-wa-us&path=/health%3Fscope%3Dfleet')).toEqual({ status: 200, text: '200 encrypted land' });
    const last = seen.encrypted.at(-1);
    expect(last?.url).toBe('/health?scope=fleet');
    expect(last?.headers.host).toBe('edge.test');
  });

  it('unencryptedBackend() reaches the unencrypted URL', async () => {
    expect(await get('/fetch?name=bfi-wa-us&type=unencrypted&path=/x')).toEqual({ status: 200, text: '200 unencrypted land' });
    expect(seen.unencrypted.at(-1)?.url).toBe('/x');
  });

  it('has no first-byte timeout: neither the host default nor the one the guest asks for (js-compute 3.46 never sets its mask bit)', async () => {
    expect(await get('/fetch?name=bfi-wa-us&path=/slow')).toEqual({ status: 200, text: '200 slow' });
    expect(await get('/fetch?name=bfi-wa-us&path=/slow&first-byte-timeout=100')).toEqual({ status: 200, text: '200 slow' });
  });

  it('a shield that refuses connections fails the fetch as a network error', async () => {
    const answer = await get('/fetch?name=down-xx&path=/health');
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/NetworkError/);
  });

  it('the "Local" site has no backend: encryptedBackend() throws', async () => {
    expect(await get('/fetch?name=pdx-or-us')).toEqual({ status: 500, text: expect.stringMatching(/^Error: backend_for_shield: Invalid argument\./) });
  });

  it('a second encryptedBackend() of one shield in one request fails, as Viceroy registers the name once', async () => {
    expect(await get('/twice?name=bfi-wa-us')).toEqual({ status: 500, text: expect.stringMatching(/^Error: backend_for_shield: Generic error/) });
  });

  it('requests through a shield backend count against the 32 backend requests of a request', async () => {
    expect((await get('/budget?name=bfi-wa-us')).text).toMatch(/^failed after 32:/);
    expect(host.stderr().join('\n')).toContain('backend request 33 refused');
  });
});
