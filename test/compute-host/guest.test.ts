/**
 * A purpose-built guest (fixtures/guest.js, compiled with js-compute-runtime once for this file)
 * on the local Compute host: what js-compute's own machinery does with our hostcalls.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../scripts/stack/wasm-artifact';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { eventually, manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';

let dir: TempDir;
let wasm: string;
let origin: Server;
let originUrl: string;
let host: HostUnderTest;
const originCalls: string[] = [];
const closedWhileHanging: string[] = [];

beforeAll(async () => {
  dir = makeTempDir('edge-canary-guest-');
  wasm = join(dir.path, 'guest.wasm');
  origin = createServer((req, res) => {
    originCalls.push(req.url ?? '');
    if (req.url === '/hang') {
      res.on('close', () => closedWhileHanging.push(req.url ?? ''));
      return;
    }
    if (req.url === '/slow') {
      setTimeout(() => res.end(`origin-${originCalls.length}`), 300);
      return;
    }
    res.end('fast');
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  await buildWasm(wasm, 'test/compute-host/fixtures/guest.js');
  host = await startHost(wasm, {
    workers: 3,
    manifest: manifestOf(`[local_server.backends.origin]\nurl = "${originUrl}"\n[local_server.config_stores.fixture]\nformat = "inline-toml"\n[local_server.config_stores.fixture.contents]\nbig = "${'b'.repeat(3000)}"\n`),
  });
}, 120_000);

afterAll(async () => {
  await host?.close();
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve));
  dir?.remove();
});

const text = async (path: string, init?: RequestInit) => (await fetch(`${host.url}${path}`, init)).text();

describe('the downstream request', () => {
  it('reaches the guest with its method, URL rebuilt from Host, body and multi-value headers', async () => {
    const echoed = JSON.parse(await text('/echo?x=1', { method: 'POST', body: 'payload', headers: [['x-multi', 'a'], ['x-multi', 'b']] }));
    expect(echoed).toEqual({ method: 'POST', url: `${host.url}/echo?x=1`, body: 'payload', multi: 'a, b' });
  });

  it("the guest's multi-value response headers reach the client as separate lines", async () => {
    const raw = await new Promise<string[]>((resolve, reject) => {
      httpRequest(`${host.url}/headers`, (res) => {
        res.resume();
        resolve(res.rawHeaders);
      }).on('error', reject).end();
    });
    const values = (name: string) => raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === name);
    expect(values('x-out')).toEqual(['one, two']);
    expect(values('set-cookie')).toEqual(['a=1', 'b=2']);
  });
});

describe('hostcalls through js-compute', () => {
  it('a config value longer than the first buffer arrives whole (buflen retry)', async () => {
    expect(await text('/config?key=big')).toBe('b'.repeat(3000));
    expect(await text('/config?key=absent')).toBe('null');
  });

  it('a streamed response arrives whole', async () => {
    expect(await text('/stream')).toBe('one two three');
  });

  it('console output becomes one log line per line (js-compute writes console.error to stdout too)', async () => {
    await text('/log');
    expect(host.stdout()).toEqual(expect.arrayContaining(['to stdout', 'to stderr']));
  });

  it('an API the host does not implement fails in the guest and is named on stderr', async () => {
    expect(await text('/unsupported')).toMatch(/^KVStore failed/);
    expect(host.stderr().some((line) => line.startsWith('compute-host: fastly_kv_store::open'))).toBe(true);
  });

  it('the 33rd backend request of a request fails (Compute allows 32)', async () => {
    expect(await text('/backend-limit')).toMatch(/^failed after 32:/);
    expect(host.stderr().join('\n')).toContain('backend request 33 refused');
  });
});

describe('async I/O', () => {
  it('a timer beats a hanging backend (select times out), and the abandoned request is aborted', async () => {
    expect(await text('/race')).toBe('timer');
    await eventually(() => closedWhileHanging.length === 1, 3000);
  });

  it('sandboxes stalled on a backend do not hold up another request: the pool grows', async () => {
    const finished: string[] = [];
    const stalled = Array.from({ length: 3 }, () => text('/race?ms=1500').then((body) => finished.push(`stalled:${body}`)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await text('/echo').then(() => finished.push('quick'));
    await Promise.all(stalled);
    expect(finished[0]).toBe('quick');
    expect(finished.slice(1)).toEqual(['stalled:timer', 'stalled:timer', 'stalled:timer']);
  });

  it.each(['pop', 'global'])('SimpleCache.purge (%s scope) removes the entry from the shared cache', async (scope) => {
    expect(await text(`/purge?scope=${scope}`)).toBe('first second');
    // The next sandbox sees the entry written after the purge, not the purged one.
    expect(await text(`/cached?key=purge-${scope}`)).toBe('second');
  });

  it('concurrent sandboxes collapse on one SimpleCache key: one backend call, the rest shared', async () => {
    const before = originCalls.filter((call) => call === '/slow').length;
    const bodies = await Promise.all(Array.from({ length: 6 }, () => text('/collapse')));
    expect(originCalls.filter((call) => call === '/slow').length - before).toBe(1);
    expect(bodies.filter((body) => body.startsWith('computed:'))).toHaveLength(1);
    expect(new Set(bodies.map((body) => body.split(':')[1])).size).toBe(1);
  });
});
