/**
 * vitest globalSetup: builds bin/main.wasm once per test run when it is missing or older than
 * src/, before any worker starts, so every suite on the wasm runtime executes the current source.
 */
import { ensureWasm } from '../../scripts/stack/wasm-artifact';

export default async function buildWasmOnce(): Promise<void> {
  const artifact = await ensureWasm((line) => process.stderr.write(`test setup: ${line}\n`));
  if (artifact.rebuiltBecause !== null) process.stderr.write(`test setup: bin/main.wasm built in ${artifact.buildSeconds.toFixed(1)} s\n`);
}
