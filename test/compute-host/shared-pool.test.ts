/**
 * Hosts of one module share its worker pool (a local fleet runs several in one process): two
 * hosts' sandboxes running at once each get their own replies and answer their own clients.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWasm } from '../../scripts/stack/wasm-artifact';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';

let dir: TempDir;
let origin: Server;
const hosts: HostUnderTest[] = [];

beforeAll(async () => {
  dir = makeTempDir('edge-canary-shared-pool-');
  const wasm = join(dir.path, 'guest.wasm');
  origin = createServer((req, res) => void setTimeout(() => res.end(`origin ${req.url}`), 200));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  await buildWasm(wasm, 'test/compute-host/fixtures/guest.js');
  const manifest = manifestOf(`[local_server.backends.origin]\nurl = "http://127.0.0.1:${(origin.address() as AddressInfo).port}"\n`);
  for (let i = 0; i < 2; i += 1) hosts.push(await startHost(wasm, { workers: 2, manifest }));
}, 120_000);

afterAll(async () => {
  for (const host of hosts) await host.close();
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve));
  dir?.remove();
});

it("two hosts' first requests, in flight at once, are both answered", async () => {
  // Each host's first sandbox waits on the same slow backend, so both run at the same time.
  const answers = await Promise.all(hosts.map(async (host) => (await fetch(`${host.url}/race?ms=5000`)).text()));
  expect(answers).toEqual(['backend', 'backend']);
  for (const host of hosts) expect(host.stats.map((stats) => stats.outcome)).toEqual(['ok']);
});
