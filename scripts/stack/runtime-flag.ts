/** `--runtime wasm|node` as the CLIs that start a canary (start, demo) read it. */
import { UsageError } from '../../src/node/cli-kit';
import { isRuntime, RUNTIMES } from './runtime';
import type { Runtime } from './runtime';

export const RUNTIME_FLAG_HELP = `  --runtime R        what serves the canary: wasm (default; bin/main.wasm, the artifact that ships, on the
                     local Compute host, rebuilt first when older than src/) or node (src/app.ts on the Node host)`;

export function parseRuntimeFlag(value: string): Runtime {
  if (!isRuntime(value)) throw new UsageError(`--runtime must be one of ${RUNTIMES.join(', ')}, got "${value}"`);
  return value;
}
