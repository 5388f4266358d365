import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WASM_BYTES } from '../../scripts/bench/report';

const run = promisify(execFile);

describe('the Compute build', () => {
  let dir: string;
  let wasm: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edge-canary-wasm-'));
    const out = join(dir, 'main.wasm');
    await run(process.execPath, ['node_modules/@fastly/js-compute/dist/cli/js-compute-runtime-cli.js', 'src/index.ts', out], { timeout: 240_000 });
    wasm = await readFile(out);
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is a WebAssembly module that Fastly Compute can run', async () => {
    const module = await WebAssembly.compile(new Uint8Array(wasm));
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(imports.some((name) => name.startsWith('fastly_http_req.'))).toBe(true);
    expect(exports).toContain('_start');
  });

  it(`stays within the ${MAX_WASM_BYTES / 1e6} MB budget that npm run bench enforces`, async () => {
    expect((await stat(join(dir, 'main.wasm'))).size).toBeLessThanOrEqual(MAX_WASM_BYTES);
  });
});
