/** `npm run demo -- --gate` tells the whole story and exits 0 only when it turned out as it should. */
import { describe, expect, it } from 'vitest';
import { spawnScript } from '../support/spawn-script';

describe('npm run demo -- --gate', () => {
  it('blocks the three bad drafts and activates the good one exactly once', async () => {
    const run = await spawnScript('scripts/demo.ts', ['--gate', '--no-color'], { timeoutMs: 60_000 }).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('version 42  blocked: auth_failed SignatureDoesNotMatch via staging');
    expect(run.stdout).toContain('version 43  blocked: served_from_cache via staging');
    expect(run.stdout).toContain('version 44  blocked: served_by_fallback via staging');
    expect(run.stdout).toContain('version 45  activated, production read pass');
    expect(run.stdout).toMatch(/production: version 41 -> 45, with 1 activate call\(s\)/);
    expect(run.stdout).not.toContain('demo-only-fastly-token');
  });
});
