/**
 * The runtimes every end-to-end suite runs on, and the one way suites say so:
 * `describeOnRuntimes('…', (runtime) => { … })` runs the same block, with the same expectations,
 * on bin/main.wasm under the local Compute host and on the app under the Node host.
 *
 * EDGE_CANARY_TEST_RUNTIMES=node (or wasm) narrows a local run to one of them while iterating;
 * `npm test` without it runs both.
 */
import { describe } from 'vitest';
import { isRuntime, RUNTIMES } from '../../scripts/stack/runtime';
import type { Runtime } from '../../scripts/stack/runtime';

export type { Runtime } from '../../scripts/stack/runtime';

export function runtimesUnderTest(setting: string | undefined = process.env.EDGE_CANARY_TEST_RUNTIMES): readonly Runtime[] {
  if (setting === undefined || setting.trim() === '') return RUNTIMES;
  const names = setting.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isRuntime(name));
  if (unknown.length > 0) throw new Error(`EDGE_CANARY_TEST_RUNTIMES: unknown runtime ${unknown.join(', ')} (use ${RUNTIMES.join(', ')})`);
  return RUNTIMES.filter((runtime) => names.includes(runtime));
}

export const TEST_RUNTIMES = runtimesUnderTest();

/** `describe` once per runtime, the runtime's name in brackets after the suite's. */
export function describeOnRuntimes(name: string, suite: (runtime: Runtime) => void): void {
  describe.each(TEST_RUNTIMES)(`${name} [%s]`, suite);
}
