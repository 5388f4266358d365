/**
 * Modules that misbehave in the ways a host must survive: a trap, a spin, an exit without a
 * response, an import the host does not know, and files that are not Compute modules at all.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WasmModuleError, startComputeHost } from '../../scripts/compute-host/index';
import { makeTempDir } from '../support/temp-dir';
import { OP, rawModule, sleb } from './support/raw-module';
import { eventually, manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';

let host: HostUnderTest | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const trap = rawModule({ start: [OP.unreachable] });
const spin = rawModule({ start: [OP.loop, OP.void, OP.br, 0, OP.end] });
const silent = rawModule({ start: [] });
const exit3 = rawModule({ imports: [{ module: 'wasi_snapshot_preview1', name: 'proc_exit', params: 1, results: 0 }], start: [OP.i32Const, ...sleb(3), OP.call, 0] });
/** Calls an import no host implements and traps unless it answered `unsupported` (5). */
const unknownImport = rawModule({
  imports: [{ module: 'fastly_teleport', name: 'beam_up', params: 1, results: 1 }],
  start: [OP.i32Const, ...sleb(0), OP.call, 0, OP.i32Const, ...sleb(5), OP.i32Ne, OP.if, OP.void, OP.unreachable, OP.end],
});

describe('a sandbox that fails', () => {
  it('a guest trap is a 500 with a log line, and the host keeps serving', async () => {
    host = await startHost(trap);
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${host.url}/anything`);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('the service failed before sending a response');
    }
    await eventually(() => host!.stats.length === 2);
    expect(host.stats.map((s) => s.outcome)).toEqual(['trap', 'trap']);
    expect(host.stderr().some((line) => /GET http:\/\/127\.0\.0\.1:\d+\/anything: 500 because guest trapped: unreachable/.test(line))).toBe(true);
  });

  it('a guest that never answers is stopped at the deadline: 500, its worker replaced', async () => {
    host = await startHost(spin, { deadlineMs: 500 });
    const response = await fetch(`${host.url}/`);
    expect(response.status).toBe(500);
    expect(host.stderr().join('\n')).toContain('exceeded its 0.5 s deadline');
    // The replacement worker serves the next request (and is stopped the same way).
    expect((await fetch(`${host.url}/`)).status).toBe(500);
    await eventually(() => host!.stats.length === 2);
    expect(host.stats.map((s) => s.outcome)).toEqual(['timeout', 'timeout']);
  });

  it('a guest that returns without sending a response is a 500 saying so', async () => {
    host = await startHost(silent);
    const response = await fetch(`${host.url}/`);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('the service ended without sending a response');
    expect(host.stderr().join('\n')).toContain('the sandbox ended without sending a response');
  });

  it('proc_exit with a failure code is a 500 naming the code', async () => {
    host = await startHost(exit3);
    expect((await fetch(`${host.url}/`)).status).toBe(500);
    expect(host.stderr().join('\n')).toContain('guest exited with code 3');
  });
});

describe('an import the host does not implement', () => {
  it('answers unsupported (5) and names itself once on stderr', async () => {
    host = await startHost(unknownImport);
    await fetch(`${host.url}/`);
    await fetch(`${host.url}/`);
    await eventually(() => host!.stats.length === 2);
    // `ok`: the guest saw status 5 (it traps on any other answer) and then ended without a response.
    expect(host.stats.map((s) => s.outcome)).toEqual(['ok', 'ok']);
    expect(host.stderr().filter((line) => line.includes('fastly_teleport::beam_up'))).toHaveLength(1);
  });
});

describe('a file that is not a Compute module', () => {
  const bad: [string, () => string | Uint8Array, RegExp][] = [
    ['missing', () => '/nonexistent/main.wasm', /main\.wasm does not exist \(build it with `npm run build`\)/],
    ['not WebAssembly', () => new TextEncoder().encode('<html>not a module</html>'), /is not a valid WebAssembly module/],
    ['truncated (a corrupted bin/main.wasm)', () => readFileSync('bin/main.wasm').subarray(0, 4_000_000), /is not a valid WebAssembly module/],
    ['without _start', () => rawModule({ start: [], exportStart: false }), /must export _start and memory/],
  ];
  it.each(bad)('%s: WasmModuleError with one clear sentence', async (_name, wasm, message) => {
    const failure = startComputeHost({ wasm: wasm(), manifest: manifestOf(''), port: 0 });
    await expect(failure).rejects.toBeInstanceOf(WasmModuleError);
    await expect(failure).rejects.toThrow(message);
  });

  it('a corrupted file on disk fails, where the intact file serves /live', async () => {
    const dir = makeTempDir('edge-canary-corrupt-');
    try {
      const intact = readFileSync('bin/main.wasm');
      const corrupted = Uint8Array.from(intact);
      corrupted.fill(0xff, 1000, 1100);
      await expect(startComputeHost({ wasm: dir.write('corrupt.wasm', ''), manifest: manifestOf(''), port: 0 })).rejects.toThrow(WasmModuleError);
      await expect(startComputeHost({ wasm: corrupted, manifest: manifestOf(''), port: 0 })).rejects.toThrow(WasmModuleError);
      host = await startHost(intact);
      expect((await fetch(`${host.url}/live`)).status).toBe(200);
    } finally {
      dir.remove();
    }
  });
});
