/** Runs the gate in-process against the gate stack, collecting what it says, as the CLI would run it. */
import type { GateOptions } from '../../scripts/gate/args';
import { liveGateDeps } from '../../scripts/gate/deps';
import { runGate, type GateReport } from '../../scripts/gate/run-gate';
import { gateOptionsFor, type GateStack } from '../../scripts/demo/gate-stack';
import { registerSecret } from '../support/secret-scan';

/** A registered test credential: the secret scanner fails any test whose output shows it. */
export const TEST_FASTLY_TOKEN = 'fastly-test-token-7f3a9c2e1b4d6a8f0e5c3b1a9d7f5e3c';

/** Call in beforeAll of every gate suite: the token is sent to the fake API and must never come back. */
export function registerGateToken(): void {
  registerSecret(TEST_FASTLY_TOKEN, { kind: 'secret', label: 'TEST_FASTLY_TOKEN (test/gate/gate-support.ts)' });
}

export async function gate(
  stack: GateStack,
  overrides: Partial<GateOptions> = {},
  hooks: { onSay?(line: string): void; signal?: AbortSignal } = {},
): Promise<{ report: GateReport; said: string[] }> {
  const options = gateOptionsFor(stack, { intervalMs: 50, ...overrides });
  const said: string[] = [];
  const say = (line: string) => {
    said.push(line);
    hooks.onSay?.(line);
  };
  const report = await runGate(options, liveGateDeps(options, say, hooks.signal));
  return { report, said };
}

/** The API calls that changed what production or staging serves. */
export function activations(stack: GateStack): string[] {
  return stack.api.calls().filter((c) => c.method === 'PUT').map((c) => c.path.replace(/^\/service\/[^/]+\/version\//, ''));
}
