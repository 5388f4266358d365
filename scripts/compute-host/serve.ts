/**
 * `npm run serve -- --runtime wasm`: the compiled module on the local Compute host. Without
 * `--wasm`, bin/main.wasm is (re)built first when it is missing or older than src/.
 */
import { ensureWasm } from '../stack/wasm-artifact';
import type { LocalManifest } from '../../src/node/manifest';
import { startComputeHost } from './index';
import type { ComputeHost } from './index';

export interface WasmServeOptions {
  wasm: string | null;
  manifest: LocalManifest;
  host: string;
  port: number;
  /** The guest's environment (FASTLY_POP and `env` secrets); default process.env. */
  env?: Record<string, string | undefined>;
}

export interface ServedWasm {
  host: ComputeHost;
  /** What serves, for the banner. */
  description: string;
}

export async function serveWasm(options: WasmServeOptions): Promise<ServedWasm> {
  const wasm = options.wasm ?? (await ensureWasm((line) => process.stderr.write(`edge-canary: ${line}\n`))).path;
  const host = await startComputeHost({ wasm, manifest: options.manifest, host: options.host, port: options.port, ...(options.env ? { env: options.env } : {}) });
  const shown = options.wasm ?? 'bin/main.wasm';
  return { host, description: `${shown} on the local Compute host` };
}
