/** startStack as a library: the same stack as `npm start`, and nothing left behind when it cannot start. */
import { createServer } from 'node:net';
import { copyFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WasmModuleError } from '../../scripts/compute-host/index';
import { startCanaryServer } from '../../scripts/stack/canary';
import { DEFAULT_WASM } from '../../scripts/stack/wasm-artifact';
import { makeTempDir } from '../support/temp-dir';
import { PortBusyError, StackConfigError } from '../../scripts/stack/errors';
import { startStack } from '../../scripts/stack/stack';
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
