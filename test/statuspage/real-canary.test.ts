/**
 * The sync against the real canary (bin/main.wasm on the local Compute host, and the app on the
 * Node host; the GCS emulator), which coalesces one deep check per result_ttl_ms (SimpleCache on
 * Compute, in whole seconds): polls inside one window read one check, and only a new check confirms.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseSyncArgs } from '../../scripts/statuspage/args';
import { createRateLimiter } from '../../scripts/statuspage/rate-limiter';
import { runStatuspageSync } from '../../scripts/statuspage/sync-loop';
import { STACK_ACCESS_ID, startCanaryStack, type CanaryStack } from '../hardening/support/canary-stack';
import { describeOnRuntimes } from '../support/runtimes';
import { startFakeStatuspage, type FakeStatuspage } from './fake-statuspage';

const RESULT_TTL_MS = 3000;

let stack: CanaryStack;
let api: FakeStatuspage;

async function oneShot(flags: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const argv = ['--health-url', `${stack.canary.url}/health`, '--page-id', 'page1', '--component-id', 'comp1', '--api-base', api.apiBase, ...flags];
  const command = parseSyncArgs(argv, { STATUSPAGE_API_KEY: 'sp-key-0123456789abcdef' });
  if (command.kind !== 'run') throw new Error('expected a run command');
  const run = { code: -1, out: [] as string[], err: [] as string[] };
  run.code = await runStatuspageSync(command.options, { out: (line) => run.out.push(line), err: (line) => run.err.push(line), limiter: createRateLimiter(20) });
  return run;
}

const originReads = () => stack.originRequests().filter((entry) => entry.method === 'GET').length;

describeOnRuntimes(`the sync and a canary sharing one check per ${RESULT_TTL_MS} ms`, (runtime) => {
  beforeEach(async () => {
    stack = await startCanaryStack(runtime, { config: { result_ttl_ms: String(RESULT_TTL_MS) } });
    api = await startFakeStatuspage('page1', 'comp1', 'operational');
    // The 2022 incident: the bucket no longer accepts the CDN's key.
    stack.emulator.rotateKey(STACK_ACCESS_ID);
  });
  afterEach(async () => {
    await Promise.all([stack.close(), api.close()]);
  });

  it('does not confirm an outage from one check read twice', async () => {
    const run = await oneShot(['--confirm', '2', '--confirm-delay', '0.2', '--max-wait', '1']);
    expect(run.code).toBe(0);
    expect(api.requests).toEqual([]);
    expect(originReads()).toBe(1);
    expect(run.out[0]).toContain('major_outage seen in 1/2 independent checks, not yet confirmed; the last answer was a check already counted');
  });

  it('confirms it with the next independent check, one result_ttl_ms later', async () => {
    const run = await oneShot(['--confirm', '2', '--confirm-delay', '0.5', '--max-wait', '10']);
    expect(run.code).toBe(0);
    expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'major_outage' } }]);
    expect(originReads()).toBe(2);
  });
});
