/** The Compute build: `js-compute-runtime src/index.ts <tmp>/main.wasm`, timed, and the size of what it made. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWasm } from '../stack/wasm-artifact';

export interface WasmResult {
  bytes: number;
  buildSeconds: number;
}

export async function measureWasmBuild(): Promise<WasmResult> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-canary-bench-wasm-'));
  try {
    const out = join(dir, 'main.wasm');
    const buildSeconds = await buildWasm(out);
    return { bytes: (await stat(out)).size, buildSeconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
