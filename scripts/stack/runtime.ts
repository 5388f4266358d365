/** Which implementation serves the canary locally; the names `npm start --runtime` and the tests use. */

/**
 * `wasm`: the compiled module (bin/main.wasm, the artifact that ships) on the local Compute host.
 * `node`: the app's source on the Node host (src/node/), quicker to iterate on. Where the two
 * disagree, the wasm is right: it runs the Fastly platform code that production runs.
 */
export type Runtime = 'node' | 'wasm';

export const RUNTIMES: readonly Runtime[] = ['wasm', 'node'];

export function isRuntime(value: string): value is Runtime {
  return (RUNTIMES as readonly string[]).includes(value);
}

/** What the banner and the demo say serves the canary. */
export function describeRuntime(runtime: Runtime): string {
  return runtime === 'wasm' ? 'bin/main.wasm on the local Compute host' : 'src/app.ts on the Node host';
}
