/** Runs the gate in-process against the gate stack, collecting what it says, as the CLI would run it. */
import type { GateOptions } from '../../scripts/gate/args';
import { createFastlyApi } from '../../scripts/gate/fastly-api';
import { readCanary } from '../../scripts/gate/readings';
import { runGate, type GateReport } from '../../scripts/gate/run-gate';
import { GATE_SERVICE_ID, type GateStack } from '../../scripts/demo/gate-stack';

/** A registered test credential: the secret scanner fails any test whose output shows it. */
export const TEST_FASTLY_TOKEN = 'fastly-test-token-7f3a9c2e1b4d6a8f0e5c3b1a9d7f5e3c';

export function gateOptions(stack: GateStack, overrides: Partial<GateOptions> = {}): GateOptions {
  return {
    serviceId: GATE_SERVICE_ID, version: 45, url: new URL(stack.canaryUrl), activate: true, confirm: 3,
    settleMs: 0, intervalMs: 50, connectTo: null, apiBase: stack.api.url,
    judgement: { attempts: 2, warnAgeSeconds: 300, maxAgeSeconds: 900, edgeBackendHeader: null, edgeExpectedBackend: null },
    deadlineMs: 3000, json: false, token: stack.token,
    ...overrides,
  };
}

export async function gate(stack: GateStack, overrides: Partial<GateOptions> = {}): Promise<{ report: GateReport; said: string[] }> {
  const options = gateOptions(stack, overrides);
  const said: string[] = [];
  const report = await runGate(options, {
    api: createFastlyApi({ token: options.token, base: options.apiBase }),
    read: readCanary,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    say: (line) => said.push(line),
  });
  return { report, said };
}

/** The API calls that changed what production or staging serves. */
export function activations(stack: GateStack): string[] {
  return stack.api.calls().filter((c) => c.method === 'PUT').map((c) => c.path.replace(/^\/service\/[^/]+\/version\//, ''));
}
