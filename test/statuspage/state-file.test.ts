/**
 * One-shot runs from cron are edge-triggered across runs with --state: a status set by hand is not
 * reverted by the next run, and the file is checked before anything is sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSyncArgs } from '../../scripts/statuspage/args';
import { createRateLimiter } from '../../scripts/statuspage/rate-limiter';
import { runStatuspageSync } from '../../scripts/statuspage/sync-loop';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { startFakeCanary, type FakeCanary } from './fake-canary';
import { startFakeStatuspage, type FakeStatuspage } from './fake-statuspage';

let api: FakeStatuspage;
let canary: FakeCanary;
let dir: TempDir;

beforeEach(async () => {
  api = await startFakeStatuspage('page1', 'comp1', 'operational');
  canary = await startFakeCanary('degraded_performance');
  dir = makeTempDir('statuspage-state-');
});
afterEach(async () => {
  await Promise.all([api.close(), canary.close()]);
  dir.remove();
});

async function cronRun(flags: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const argv = ['--health-url', canary.url, '--page-id', 'page1', '--component-id', 'comp1', '--api-base', api.apiBase, '--confirm', '1', ...flags];
  const command = parseSyncArgs(argv, { STATUSPAGE_API_KEY: 'sp-key-0123456789abcdef' });
  if (command.kind !== 'run') throw new Error('expected a run command');
  const run = { code: -1, out: [] as string[], err: [] as string[] };
  run.code = await runStatuspageSync(command.options, { out: (line) => run.out.push(line), err: (line) => run.err.push(line), limiter: createRateLimiter(20) });
  return run;
}

describe('--state FILE', () => {
  it('keeps a hand-set status across runs, and follows the canaries again when they change', async () => {
    const state = join(dir.path, 'sync-state.json');
    expect((await cronRun(['--state', state])).out[0]).toContain('operational -> degraded_performance');
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ version: 1, pageId: 'page1', componentId: 'comp1', lastConfirmed: 'degraded_performance', lastWritten: 'degraded_performance' });

    api.componentStatus = 'major_outage';
    const second = await cronRun(['--state', state]);
    expect(second.out[0]).toBe(
      `component comp1: major_outage set by someone else, left alone until the canaries' status changes (canaries still say degraded_performance; the sync last wrote degraded_performance; canary ${canary.url} degraded_performance)`,
    );

    canary.behave('operational');
    expect((await cronRun(['--state', state])).out[0]).toContain('major_outage -> operational');
    expect(api.patches().map((r) => r.body)).toEqual([{ component: { status: 'degraded_performance' } }, { component: { status: 'operational' } }]);
  });

  it('without it, every run starts with no memory and writes what the canaries confirm', async () => {
    await cronRun([]);
    api.componentStatus = 'major_outage';
    expect((await cronRun([])).out[0]).toContain('major_outage -> degraded_performance');
  });

  it('a dry run reads the state but never writes it', async () => {
    const state = join(dir.path, 'sync-state.json');
    await cronRun(['--state', state, '--dry-run']);
    expect(existsSync(state)).toBe(false);
  });

  it('refuses a state file it could not write, before any request', async () => {
    const state = join(dir.path, 'no-such-dir', 'state.json');
    const run = await cronRun(['--state', state]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`edge-canary statuspage: --state ${state}: the directory ${join(dir.path, 'no-such-dir')} does not exist or is not writable; create it or choose another path`]);
    expect(api.requests).toEqual([]);
  });

  it.each([
    { name: 'not JSON', text: '{"version":1,', message: 'is not JSON; it is not a state file of this sync: delete it to start afresh' },
    { name: 'not a state file', text: '{"hello":"world"}', message: 'is not a state file of this sync (version 1 with lastConfirmed and lastWritten): delete it to start afresh' },
    {
      name: 'another component',
      text: JSON.stringify({ version: 1, pageId: 'page1', componentId: 'other', lastConfirmed: null, lastWritten: null }),
      message: 'belongs to page page1 component other, not page1 comp1: use one state file per component',
    },
  ])('refuses a state file that is $name with exit 1, before any request', async ({ text, message }) => {
    const state = dir.write('state.json', text);
    const run = await cronRun(['--state', state]);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`edge-canary statuspage: --state ${state} ${message}`]);
    expect(api.requests).toEqual([]);
    expect(canary.accepts).toEqual([]);
    expect(readFileSync(state, 'utf8')).toBe(text);
  });
});
