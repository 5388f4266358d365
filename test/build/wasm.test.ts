/**
 * The Compute build, as the test run made it: bin/main.wasm is rebuilt by the globalSetup
 * (test/support/global-wasm-build.ts) whenever it is missing or older than src/, so this checks the
 * artifact of the current source, the same one the wasm runtime of the end-to-end suites executes.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_WASM_BYTES } from '../../scripts/bench/report';
import { DEFAULT_WASM, staleReason } from '../../scripts/stack/wasm-artifact';

describe('the Compute build (bin/main.wasm)', () => {
  let wasm: Buffer;

  beforeAll(async () => {
    wasm = await readFile(DEFAULT_WASM);
  });

  it('is newer than every source file', async () => {
    expect(await staleReason(DEFAULT_WASM)).toBeNull();
  });

  it('is a WebAssembly module that Fastly Compute can run', async () => {
    const module = await WebAssembly.compile(new Uint8Array(wasm));
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(imports.some((name) => name.startsWith('fastly_http_req.'))).toBe(true);
    expect(exports).toContain('_start');
  });

  it(`stays within the ${MAX_WASM_BYTES / 1e6} MB budget that npm run bench enforces`, () => {
    expect(wasm.byteLength).toBeLessThanOrEqual(MAX_WASM_BYTES);
  });
});
