import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnScript } from '../support/spawn-script';
import type { ScriptRun, SpawnedScript } from '../support/spawn-script';
import type { FakeCanary } from './fake-canary';
import { startFakeCanary, unreachableUrl } from './fake-canary';
import type { FakeStatuspage } from './fake-statuspage';
import { startFakeStatuspage } from './fake-statuspage';

const KEY = 'sp-key-0123456789abcdef';

/** Spawns the real CLI with only the environment given (plus PATH), so no outer key leaks in. */
function startCli(args: string[], env: Record<string, string>): SpawnedScript {
  return spawnScript('scripts/statuspage-sync.ts', args, { env: { PATH: process.env.PATH ?? '', ...env } });
}

const runCli = (args: string[], env: Record<string, string> = { STATUSPAGE_API_KEY: KEY }): Promise<ScriptRun> => startCli(args, env).done;

describe('statuspage-sync CLI', () => {
  let api: FakeStatuspage;
  let canary: FakeCanary;
  beforeEach(async () => {
    api = await startFakeStatuspage('page1', 'comp1', 'operational');
    canary = await startFakeCanary('major_outage');
  });
  afterEach(async () => {
    await Promise.all([api.close(), canary.close()]);
  });
  const target = () => ['--page-id', 'page1', '--component-id', 'comp1', '--api-base', api.apiBase, '--confirm-delay', '0'];

  it.each<{ name: string; args: string[]; env: Record<string, string>; message: string }>([
    { name: 'missing --page-id', args: ['--health-url', 'http://127.0.0.1:9/health', '--component-id', 'C'], env: { STATUSPAGE_API_KEY: KEY }, message: '--page-id is required' },
    { name: 'a bad URL', args: ['--health-url', 'not-a-url', '--page-id', 'P', '--component-id', 'C'], env: { STATUSPAGE_API_KEY: KEY }, message: "--health-url 'not-a-url' is not a URL" },
    { name: 'no STATUSPAGE_API_KEY', args: ['--health-url', 'http://127.0.0.1:9/health', '--page-id', 'P', '--component-id', 'C'], env: {}, message: 'STATUSPAGE_API_KEY is not set' },
    { name: 'a bad --confirm', args: ['--health-url', 'http://127.0.0.1:9/health', '--page-id', 'P', '--component-id', 'C', '--confirm', 'two'], env: { STATUSPAGE_API_KEY: KEY }, message: "--confirm 'two' is not a whole number >= 1" },
    { name: 'an --api-key flag', args: ['--health-url', 'http://127.0.0.1:9/health', '--page-id', 'P', '--component-id', 'C', '--api-key', KEY], env: {}, message: 'set STATUSPAGE_API_KEY in the environment instead' },
  ])('exits 1 with a usage message for $name', async ({ args, env, message }) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: npm run statuspage');
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('changes the component within the real 1 request/second limit and exits 0', async () => {
    const result = await runCli(['--health-url', canary.url, ...target(), '--confirm', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`component comp1: operational -> major_outage (confirmed 1/1; canary ${canary.url} major_outage)\n`);
    const [get, patch] = api.requests;
    expect([get.method, patch.method]).toEqual(['GET', 'PATCH']);
    expect(patch.path).toBe('/v1/pages/page1/components/comp1');
    expect(patch.authorization).toBe(`OAuth ${KEY}`);
    expect(patch.contentType).toBe('application/json');
    expect(patch.body).toEqual({ component: { status: 'major_outage' } });
    expect(patch.at - get.at).toBeGreaterThanOrEqual(900);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('exits 2 when every canary is unreachable, leaving the page alone', async () => {
    const result = await runCli(['--health-url', await unreachableUrl(), ...target(), '--confirm', '1']);
    expect(result.code).toBe(2);
    expect(api.requests).toEqual([]);
    expect(result.stderr).toContain('every canary is blind (unreachable or misconfigured, see above): the page was left as it is');
  });

  it('exits 2 with one clear line when the API rejects the key', async () => {
    api.answerNext({ status: 401, body: JSON.stringify({ error: `bad key ${KEY}` }) });
    const result = await runCli(['--health-url', canary.url, ...target(), '--confirm', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'edge-canary statuspage: configuration problem: GET /v1/pages/page1/components/comp1 answered HTTP 401: the API key was not accepted; check STATUSPAGE_API_KEY',
    ]);
    expect(api.patches()).toEqual([]);
  });

  it('--dry-run sends nothing and exits 0', async () => {
    const result = await runCli(['--health-url', canary.url, ...target(), '--dry-run']);
    expect(result.code).toBe(0);
    expect(api.patches()).toEqual([]);
    expect(result.stdout).toContain('operational -> major_outage (dry run, not sent;');
  });

  it('in --interval mode, stops cleanly with exit 0 on SIGTERM', async () => {
    const { child, done } = startCli(['--health-url', canary.url, ...target(), '--dry-run', '--interval', '0.2', '--json'], {});
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIGTERM received, stopping after the current step');
    expect(result.stdout.trim().split('\n').every((line) => JSON.parse(line).componentId === 'comp1')).toBe(true);
    expect(api.requests).toEqual([]);
  });
});
