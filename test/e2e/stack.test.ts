/** startStack as a library: the same stack as `npm start`, and nothing left behind when it cannot start. */
import { createConnection, createServer } from 'node:net';
import { copyFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmModuleError } from '../../scripts/compute-host/index';
import { startCanaryServer } from '../../scripts/stack/canary';
import { DEFAULT_WASM } from '../../scripts/stack/wasm-artifact';
import { makeTempDir } from '../support/temp-dir';
import { PortBusyError, StackConfigError } from '../../scripts/stack/errors';
import { ARCHIVE_BUCKET, ARCHIVE_DEV_KEY, withArchiveFallback } from '../../scripts/stack/archive';
import { withOverrides } from '../../scripts/stack/manifest';
import { DEFAULT_MANIFEST, startStack } from '../../scripts/stack/stack';
import { loadManifest } from '../../src/node/manifest';
import { TEST_RUNTIMES } from '../support/runtimes';
import { getHealth, startTestStack } from '../support/stack';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Whether a TCP connection to the port is accepted; the attempt starts at once, not on a later tick. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('startStack', () => {
  it.each(TEST_RUNTIMES)('serves the canary of fastly.toml on %s, pointed at the emulator it started, and closes everything', async (runtime) => {
    const stack = await startTestStack(runtime);
    let answer;
    try {
      answer = await getHealth(stack.canary.url);
    } finally {
      await stack.close();
    }

    expect([stack.runtime, stack.canary.runtime]).toEqual([runtime, runtime]);
    expect([answer.httpStatus, answer.body.status]).toEqual([200, 'pass']);
    expect(answer.origin).toMatchObject({ httpStatus: 200, attempts: 1 });
    expect(stack.manifest.backends.get('gcs')?.url.href).toBe(`${stack.emulator.url}/`);
    expect(await Promise.all([stack.canary.port, stack.emulator.port].map(canListen))).toEqual([true, true]);
  });

  it.each(TEST_RUNTIMES)('archiveFallback on %s: a GCS primary and an S3 archive, both written each tick with the same sequence, the uploader on its own key', async (runtime) => {
    const stack = await startTestStack(runtime, {}, { archiveFallback: true });
    try {
      expect(stack.origins.map((o) => [o.target, o.provider, o.bucket, o.region])).toEqual([
        ['origin:primary', 'gcs', 'edge-canary-local', 'auto'],
        ['origin:fallback', 's3', ARCHIVE_BUCKET, 'us-west-2'],
      ]);
      expect(stack.manifest.backends.get('archive')?.url.href).toBe(`${stack.emulator.url}/`);
      type Checks = Record<string, [{ status: string; sequence: number | null; writtenAt: string | null }]>;
      const health = () => fetch(`${stack.canary.url}/health`).then((r) => r.json() as Promise<{ status: string; checks: Checks }>);
      const first = await health();
      expect(first.status).toBe('pass');
      expect(Object.keys(first.checks)).toEqual(['origin:primary:fetch', 'origin:primary:freshness', 'origin:fallback:fetch', 'origin:fallback:freshness']);

      // The canary's archive key rotated: the uploader writes with its own key and still reaches the archive.
      expect(stack.emulator.rotateKey(ARCHIVE_DEV_KEY.accessId)).toBe(true);
      const written = await stack.writeCanary();
      stack.emulator.restoreKeys();
      const after = await health();
      const seen = (target: string) => after.checks[`${target}:freshness`][0];
      expect([seen('origin:primary').sequence, seen('origin:fallback').sequence]).toEqual([written.sequence, written.sequence]);
      expect(seen('origin:fallback').writtenAt).toBe(seen('origin:primary').writtenAt);
      expect(written.sequence).toBe(stack.uploader.first.sequence + 1);
    } finally {
      await stack.close();
    }
  });

  it("an S3-compatible write refused for its key names the stack's own write key, not the manifest's credential", async () => {
    const stack = await startTestStack('node', {}, { archiveFallback: true });
    try {
      expect(stack.emulator.removeKey('AKIALOCALSTACKUPLOADER')).toBe(true);
      const refused = stack.writeCanary();
      await expect(refused).rejects.toThrow(/403 InvalidAccessKeyId.*\(the key refused is the stack's own write key AKIALOCALSTACKUPLOADER, not the manifest's credential/);
      stack.emulator.restoreKeys();
      expect((await stack.writeCanary()).sequence).toBeGreaterThan(stack.uploader.first.sequence);
    } finally {
      await stack.close();
    }
  });

  it('archiveFallback leaves a manifest that lists origins already as it is', () => {
    const manifest = withArchiveFallback(withOverrides(loadManifest(DEFAULT_MANIFEST), { origins: '[]' }));
    expect(manifest.backends.has('archive')).toBe(false);
    expect(manifest.configStores.get('canary_config')?.get('origins')).toBe('[]');
  });

  it('archiveFallback refuses a primary bucket named like the archive', async () => {
    await expect(startTestStack('node', { bucket: ARCHIVE_BUCKET }, { archiveFallback: true })).rejects.toThrow(`bucket ${ARCHIVE_BUCKET} is the local archive's name`);
  });

  it.each(TEST_RUNTIMES)('on %s the canary listens only once the first write has landed: a client already polling its port is refused, never told not_found', async (runtime) => {
    const canaryPort = await freePort();
    let tried: Promise<boolean> | undefined;
    // The uploader's first request to the emulator: its write is still in flight, so the canary must not be listening yet.
    const onEmulatorRequest = () => { tried ??= connects(canaryPort); };
    const stack = await startTestStack(runtime, {}, { canaryPort, onEmulatorRequest });
    try {
      expect(tried).toBeDefined();
      expect(await tried).toBe(false);
      expect((await getHealth(stack.canary.url)).body.status).toBe('pass');
    } finally {
      await stack.close();
    }
  });

  it('a step failing after the emulator started closes the emulator again', async () => {
    const emulatorPort = await freePort();
    const failure = new Error('the first upload event handler failed');
    // The emulator is up and the first write has landed when this throws.
    const start = startStack({ runtime: 'node', canaryPort: 0, emulatorPort, onUpload: () => { throw failure; } });

    await expect(start).rejects.toBe(failure);
    expect(await canListen(emulatorPort)).toBe(true);
  });

  it('refuses a busy port before starting anything, naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const canaryPort = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startTestStack('node', {}, { canaryPort })).rejects.toThrow(new PortBusyError('canary', '127.0.0.1', canaryPort));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses the same port for the canary and the emulator', async () => {
    const port = await freePort();
    await expect(startTestStack('node', {}, { canaryPort: port, emulatorPort: port })).rejects.toBeInstanceOf(StackConfigError);
  });

  it('refuses a configuration the canary could never pass with, naming the key', async () => {
    await expect(startTestStack('node', { attempts: 'many' })).rejects.toThrow(/attempts: must be a whole number/);
  });

  it('the wasm runtime executes the module it is given: a copy of bin/main.wasm passes, the same file cut short refuses to start', async () => {
    const dir = makeTempDir('edge-canary-module-');
    const stack = await startTestStack('node');
    try {
      const copy = join(dir.path, 'main.wasm');
      copyFileSync(DEFAULT_WASM, copy);
      const canary = await startCanaryServer({ manifest: stack.manifest, runtime: 'wasm', wasm: copy, host: '127.0.0.1', port: 0, platform: { log: () => undefined } });
      const answer = await getHealth(canary.url).finally(() => canary.close());
      expect([canary.runtime, answer.httpStatus, answer.body.status]).toEqual(['wasm', 200, 'pass']);

      truncateSync(copy, 4096);
      const refused = startCanaryServer({ manifest: stack.manifest, runtime: 'wasm', wasm: copy, host: '127.0.0.1', port: 0 });
      await expect(refused).rejects.toBeInstanceOf(WasmModuleError);
      await expect(refused).rejects.toThrow(`Compute module ${copy} is not a valid WebAssembly module`);
    } finally {
      await stack.close();
      dir.remove();
    }
  });
});
