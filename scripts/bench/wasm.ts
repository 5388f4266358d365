/** The Compute build: `js-compute-runtime src/index.ts <tmp>/main.wasm`, timed, and the size of what it made. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './processes';

const run = promisify(execFile);

export interface WasmResult {
  bytes: number;
  buildSeconds: number;
}

export async function measureWasmBuild(): Promise<WasmResult> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-canary-bench-wasm-'));
  try {
    const out = join(dir, 'main.wasm');
    const started = performance.now();
    await run(join(REPO, 'node_modules', '.bin', 'js-compute-runtime'), ['src/index.ts', out], { cwd: REPO, timeout: 600_000 });
    const buildSeconds = (performance.now() - started) / 1000;
    return { bytes: (await stat(out)).size, buildSeconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
