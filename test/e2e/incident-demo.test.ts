import { describe, expect, it } from 'vitest';
import { spawnScript } from '../support/spawn-script';
import type { SpawnScriptOptions } from '../support/spawn-script';

const PLAIN_OUTPUT: SpawnScriptOptions = { env: { ...process.env, NO_COLOR: '1' } };

async function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await spawnScript('scripts/demo.ts', args, { ...PLAIN_OUTPUT, timeoutMs: 60_000 }).done;
  return { ...run, code: run.code ?? -1 };
}

describe('npm run demo', () => {
  it('prints the timeline and the detection times side by side, on bin/main.wasm, and exits 0 when the canary caught it', async () => {
    // Two seconds before the rotation: the first poll of a cold wasm host on a busy machine takes a while.
    const { code, stdout } = await demo(['--rotate-after', '2', '--restore-after', '4', '--poll', '0.25']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ +served by bin\/main\.wasm on the local Compute host$/m);
    expect(stdout).toMatch(/T\+2\.\ds +>>> HMAC secret rotated/);
    expect(stdout).toMatch(/classic monitor: 200 \(cache HIT\) +canary: 503 auth_failed SignatureDoesNotMatch \(origin, edge\) -> major_outage/);
    expect(stdout).toMatch(/edge-canary +detected after \d+\.\d s: 503 auth_failed SignatureDoesNotMatch/);
    expect(stdout).toMatch(/classic monitor +never \(stayed green for the whole outage: (\d+) of \1 checks answered 200 from cache\)/);
    expect(stdout).not.toMatch(/\u001b\[/);
  }, 60_000);

  it.each([
    { args: ['--restore-after', '5', '--rotate-after', '6'], message: '--restore-after must be later than --rotate-after' },
    { args: ['--poll', 'fast'], message: '--poll must be a number of seconds' },
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
    { args: ['--runtime', 'viceroy'], message: '--runtime must be one of wasm, node, got "viceroy"' },
    { args: ['--scene', '2026', '--gate'], message: '--gate replays the gate story, which takes only --no-color: --scene would be ignored' },
    { args: ['--gate', '--poll', '2', '--runtime', 'node'], message: '--poll, --runtime would be ignored' },
  ])('exits 1 with the usage line for $args', async ({ args, message }) => {
    const { code, stderr, stdout } = await demo(args);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run demo');
    expect(stdout).toBe('');
  });
});

it('--help explains every flag the demo accepts', async () => {
  const { code, stdout } = await demo(['--help']);
  expect(code).toBe(0);
  for (const flag of ['--scene 2022', '--scene 2026', '--rotate-after S', '--restore-after S', '--poll S', '--runtime R', '--no-color', '--gate', '-h, --help']) {
    expect(stdout).toMatch(new RegExp(`^  ${flag.replace(/[-]/g, '\\-')} `, 'm'));
  }
});

describe('npm run demo, interrupted', () => {
  it('stops everything on Ctrl-C and exits 2 (the replay did not finish)', async () => {
    // The rotation is far away, so Ctrl-C after the first poll lands before it however late that
    // first poll comes on a busy machine.
    const { child, output, done } = spawnScript('scripts/demo.ts', ['--rotate-after', '60', '--restore-after', '90'], PLAIN_OUTPUT);
    const exited = done.then((run) => run.code);
    for (let i = 0; i < 300 && !/T\+\d+\.\ds +classic monitor/.test(output().stdout); i++) await new Promise((r) => setTimeout(r, 50));
    expect(output().stdout).toMatch(/T\+\d+\.\ds +classic monitor/);
    child.kill('SIGINT');
    expect(await exited).toBe(2);
    const { stdout, stderr } = output();
    expect(stderr).toContain('edge-canary demo: stopping');
    expect(stdout).toContain('Stopped before the key was rotated');
  }, 30_000);
});
