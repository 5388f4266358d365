/**
 * The PyPI-2026 scene: a B2-style primary, an S3-style archive the CDN restarts onto. With the
 * primary's secret wrong, an uncached status-200 check stays green (the archive answers) and the
 * canary goes red naming the primary and the restart, on both runtimes.
 */
import { afterEach, expect, it } from 'vitest';
import { startArchiveStack, type ArchiveStack } from '../../scripts/demo/archive-stack';
import { probeCanary, probeClassic } from '../../scripts/demo/monitors';
import { describeOnRuntimes } from '../support/runtimes';
import { spawnScript } from '../support/spawn-script';

const clock = () => 0;
let stack: ArchiveStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Health { checks: Record<string, [{ status: string; reason: string; errorCode: string | null; detail?: string }]>; output: string }

describeOnRuntimes('PyPI 2026: the primary refuses the key, the CDN restarts onto the archive', (runtime) => {
  it('the uncached synthetic check stays 200 from the archive; the canary says origin:primary auth_failed and edge served_by_fallback', async () => {
    stack = await startArchiveStack({ runtime, resultTtlMs: 0, deadlineMs: 2000 });
    expect(await probeCanary(stack.healthUrl, clock)).toMatchObject({ httpStatus: 200, status: 'pass', statuspage: 'operational' });
    expect((await probeClassic(stack.sentinelUrl(), clock)).summary).toBe('200 (cache MISS)');

    await stack.rotateKey();
    const synthetic = await probeClassic(stack.sentinelUrl(), clock);
    expect([synthetic.ok, synthetic.summary]).toEqual([true, '200 (cache MISS, from the fallback)']);
    const canary = await probeCanary(stack.healthUrl, clock);
    expect(canary).toMatchObject({
      httpStatus: 503, status: 'fail', statuspage: 'major_outage',
      failingReasons: { 'origin:primary': 'auth_failed', edge: 'served_by_fallback' },
      summary: '503 auth_failed SignatureDoesNotMatch (origin:primary), served_by_fallback (edge) -> major_outage',
    });
    const body = (await (await fetch(stack.healthUrl)).json()) as Health;
    expect(body.checks['origin:fallback:fetch'][0].status).toBe('pass');
    expect(body.output).toContain('edge: served_by_fallback (Fastly-Restarts: 1)');

    // The canary path was restarted, never cached: each edge check read the archive again.
    const archiveCanaryReads = () => stack?.emulator.requestLog().filter((e) => e.bucket === 'pypi-files-archive' && e.object === 'edge-canary/canary.json' && e.method === 'GET' && e.host.startsWith('pypi-files-archive.')).length ?? 0;
    const before = archiveCanaryReads();
    await probeCanary(stack.healthUrl, clock);
    expect(archiveCanaryReads()).toBeGreaterThan(before);

    await stack.restoreKeys();
    expect(await probeCanary(stack.healthUrl, clock)).toMatchObject({ httpStatus: 200, status: 'pass' });
  });
});

describeOnRuntimes('npm run demo -- --scene 2026', (runtime) => {
  it('narrates the restart: the synthetic check green from the archive, the canary red, exit 0', async () => {
    const run = await spawnScript('scripts/demo.ts', ['--scene', '2026', '--runtime', runtime, '--rotate-after', '2', '--restore-after', '4', '--poll', '0.25'], {
      env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000,
    }).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('edge-canary demo: PyPI in 2026, a wrong primary secret answered from the archive');
    expect(run.stdout).toMatch(/T\+2\.\ds +>>> the primary's secret rotated on the B2 bucket: the CDN restarts every uncached read onto the S3 archive/);
    expect(run.stdout).toMatch(/synthetic check: 200 \(cache MISS, from the fallback\) +canary: 503 auth_failed SignatureDoesNotMatch \(origin:primary\), served_by_fallback \(edge\) -> major_outage/);
    expect(run.stdout).toMatch(/edge-canary +detected after \d+\.\d s: 503 auth_failed SignatureDoesNotMatch \(origin:primary\), served_by_fallback \(edge\)/);
    expect(run.stdout).toMatch(/synthetic check +never \(stayed green for the whole outage: (\d+) of \1 checks answered 200; \1 of them were cache misses the CDN restarted onto the archive\)/);
  }, 60_000);
});

it('npm run demo -- --scene 1999 is a usage error naming the scenes', async () => {
  const run = await spawnScript('scripts/demo.ts', ['--scene', '1999'], { env: { ...process.env, NO_COLOR: '1' } }).done;
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--scene must be one of 2022, 2026, got "1999"');
  expect(run.stdout).toBe('');
});
