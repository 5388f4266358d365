/** `npm run gate` as a process: exit codes 0/1/2, stdout/--json, and the token never printed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFTS, GATE_SERVICE_ID, GATE_WRONG_SECRET, startGateStack, type GateStack } from '../../scripts/demo/gate-stack';
import { spawnScript, type ScriptRun } from '../support/spawn-script';
import { registerGateToken, TEST_FASTLY_TOKEN } from './gate-support';

let stack: GateStack;
beforeAll(async () => {
  registerGateToken();
  stack = await startGateStack({ token: TEST_FASTLY_TOKEN, stagingHost: '127.0.0.2' });
});
afterAll(() => stack.close());

function runGateCli(args: string[], env: Record<string, string> = { FASTLY_API_TOKEN: TEST_FASTLY_TOKEN }): Promise<ScriptRun> {
  const { FASTLY_API_TOKEN: _inherited, ...rest } = process.env;
  return spawnScript('scripts/gate.ts', args, { env: { ...rest, ...env }, timeoutMs: 60_000 }).done;
}

const base = () => ['--service-id', GATE_SERVICE_ID, '--url', stack.canaryUrl, '--api-base', stack.api.url, '--settle', '0', '--interval', '0.1'];

function expectNoToken(run: ScriptRun): void {
  expect(run.stdout + run.stderr).not.toContain(TEST_FASTLY_TOKEN);
  expect(run.stdout + run.stderr).not.toContain(GATE_WRONG_SECRET);
}

describe('npm run gate', () => {
  it('exits 2 with the reason for the 2022 mistake, and activates nothing', async () => {
    const run = await runGateCli([...base(), '--version', String(DRAFTS.wrongSecret.number), '--activate']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('BLOCKED: auth_failed SignatureDoesNotMatch via staging');
    expect(run.stdout).toContain('version 42 was not activated');
    expect(stack.api.calls().some((c) => c.method === 'PUT' && c.path.endsWith('/42/activate'))).toBe(false);
    expectNoToken(run);
  });

  it('exits 0 with --json for a version that passes without --activate', async () => {
    const run = await runGateCli([...base(), '--version', String(DRAFTS.good.number), '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { result: string; activated: boolean; readings: { status: string }[] };
    expect(report).toMatchObject({ result: 'passed', activated: false });
    expect(report.readings).toHaveLength(3);
    expectNoToken(run);
  });

  it('names a refused token (401) and exits 2 without printing it', async () => {
    const run = await runGateCli([...base(), '--version', '45'], { FASTLY_API_TOKEN: 'not-the-right-token-0000000000000000' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/FAILED: api_failed list versions of service \w+: unauthorized \(HTTP 401\): Provided credentials are missing or invalid; FASTLY_API_TOKEN was refused/);
    expect(run.stdout).not.toContain('not-the-right-token');
  });

  it('names a rate limit (429) with its reset time', async () => {
    stack.api.failNext(1);
    const run = await runGateCli([...base(), '--version', '45']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/rate_limited \(HTTP 429\): Too many requests \(resets at \d{4}-\d\d-\d\dT/);
  });

  it('names an unknown service (404)', async () => {
    const args = base();
    args[1] = 'NoSuchService0000';
    const run = await runGateCli([...args, '--version', '45']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("not_found (HTTP 404): Record not found: Cannot find service 'NoSuchService0000'; check --service-id and --version");
  });

  it.each([
    ['no token', ['--version', '45'], null, /set FASTLY_API_TOKEN/],
    ['a version that does not exist', ['--version', '99'], TEST_FASTLY_TOKEN, /has no version 99 \(latest is 46\)/],
    ['the active version', ['--version', '41'], TEST_FASTLY_TOKEN, /version 41 is already active on production: nothing to gate/],
    ['one reading only', ['--version', '45', '--confirm', '1'], TEST_FASTLY_TOKEN, /--confirm must be a whole number from 2 to 20/],
    ['a bad --connect-to', ['--version', '45', '--connect-to', 'staging'], TEST_FASTLY_TOKEN, /--connect-to must be HOST:PORT/],
  ])('exits 1 for %s', async (_name, extra, token, message) => {
    const run = await runGateCli([...base(), ...extra], token === null ? {} : { FASTLY_API_TOKEN: token });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('on Ctrl-C stops, activates nothing, takes the version off staging and exits 2', async () => {
    const { FASTLY_API_TOKEN: _inherited, ...rest } = process.env;
    const gateRun = spawnScript('scripts/gate.ts', [...base(), '--version', '45', '--settle', '60', '--activate'], { env: { ...rest, FASTLY_API_TOKEN: TEST_FASTLY_TOKEN }, timeoutMs: 60_000 });
    for (let i = 0; i < 400 && !gateRun.output().stdout.includes('activated on staging'); i++) await new Promise((r) => setTimeout(r, 50));
    gateRun.child.kill('SIGINT');
    const run = await gateRun.done;
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('FAILED: interrupted after 0 of 3 readings');
    expect(run.stdout).toContain('version 45 deactivated on staging');
    expect(stack.api.stagedVersion()).toBeNull();
    expect(stack.api.activeVersion()).toBe(41);
  });

  it('refuses the token on the command line without echoing it', async () => {
    const run = await runGateCli([...base(), '--version', '45', TEST_FASTLY_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the API token must not be on the command line');
    expectNoToken(run);
  });
});
