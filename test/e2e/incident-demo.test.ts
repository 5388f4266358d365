import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('prints the timeline and the detection times side by side, and exits 0 when the canary caught it', async () => {
    const { code, stdout } = await demo(['--rotate-after', '1', '--restore-after', '3', '--poll', '0.25']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/T\+1\.0s +>>> HMAC secret rotated/);
    expect(stdout).toMatch(/classic monitor: 200 \(cache HIT\) +canary: 503 auth_failed SignatureDoesNotMatch \(origin, edge\) -> major_outage/);
    expect(stdout).toMatch(/edge-canary +detected after \d+\.\d s: 503 auth_failed SignatureDoesNotMatch/);
    expect(stdout).toMatch(/classic monitor +never \(stayed green for the whole outage: (\d+) of \1 checks answered 200 from cache\)/);
    expect(stdout).not.toMatch(/\u001b\[/);
  }, 60_000);

  it.each([
    { args: ['--restore-after', '5', '--rotate-after', '6'], message: '--restore-after must be later than --rotate-after' },
    { args: ['--poll', 'fast'], message: '--poll must be a number of seconds' },
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
  ])('exits 1 with the usage line for $args', async ({ args, message }) => {
    const { code, stderr, stdout } = await demo(args);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run demo');
    expect(stdout).toBe('');
  });
});

describe('npm run demo, interrupted', () => {
  it('stops everything on Ctrl-C and exits 2 (the replay did not finish)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 300 && !/T\+0\.\ds +classic monitor/.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(2);
    expect(stderr).toContain('demo: stopping');
    expect(stdout).toContain('Stopped before the key was rotated');
  }, 30_000);
});
