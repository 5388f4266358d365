/**
 * Proves the project's vitest config really fails a test that leaks, even when the test itself
 * asserts nothing: runs a fixture with planted leaks in a child vitest using vitest.config.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../support/secret-scan';

const run = promisify(execFile);

describe('the secret scan wiring', () => {
  it('fails exactly the tests of a run that leaked a credential, naming it without printing it', async () => {
    const child = await run(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/hardening/fixtures/leak.vitest.config.ts', 'planted-leak'],
      { timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    ).then(
      (ok) => ({ code: 0, output: ok.stdout + ok.stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(child.code).toBe(1);
    expect(child.output).toMatch(/Tests\s+2 failed \| 1 passed/);
    expect(child.output).toContain('SecretLeakError');
    expect(child.output).toContain('TEST_SECRET (test/support/fake-platform.ts) (secret) in server response body GET /health');
    expect(child.output).toContain('TEST_SECRET (test/support/fake-platform.ts) (secret) in response headers (constructed Response)');
    assertNoSecrets(child.output, 'the child vitest run');
  }, 60_000);
});
