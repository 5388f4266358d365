import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../scripts/emulator';
import { spawnScript } from '../support/spawn-script';
import { CDN_KEY, PACKAGE_OBJECT, PRIMARY_BUCKET, startBuckets } from './fixture';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startBuckets();
});
afterAll(() => emulator.close());

function startCli(args: string[], env: Record<string, string>) {
  const { child, output, done } = spawnScript('scripts/cdn/cli.ts', args, { env: { ...process.env, ...env } });
  return { child, exited: done.then((run) => run.code), out: () => output().stdout, err: () => output().stderr };
}

async function waitFor(read: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 200; i++) {
    const match = read().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${pattern} in:\n${read()}`);
}

describe('scripts/cdn/cli.ts', () => {
  it('serves the bucket with credentials from the environment, logs each request, exits 0 on SIGTERM', async () => {
    const cli = startCli(['--origin', emulator.url, '--bucket', PRIMARY_BUCKET, '--port', '0'], {
      CDN_HMAC_ACCESS_ID: CDN_KEY.accessId, CDN_HMAC_SECRET: CDN_KEY.secret,
    });
    const [, url] = await waitFor(cli.err, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect((await fetch(`${url}/${PACKAGE_OBJECT}`)).status).toBe(200);
    expect((await fetch(`${url}/${PACKAGE_OBJECT}`)).headers.get('x-cache')).toBe('HIT');
    await waitFor(cli.out, /HIT age=/);
    expect(cli.out()).toContain(`GET /${PACKAGE_OBJECT} 200 MISS`);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.out() + cli.err()).not.toContain(CDN_KEY.secret);
  });

  it.each([
    { name: 'no credentials in the environment', args: ['--bucket', PRIMARY_BUCKET], message: 'set CDN_HMAC_ACCESS_ID and CDN_HMAC_SECRET' },
    { name: 'no bucket', args: [], message: '--bucket is required' },
    { name: 'unknown cache policy', args: ['--bucket', PRIMARY_BUCKET, '--cache-policy', 'forever'], message: '--cache-policy must be origin or service-ttl' },
  ])('exits 1 with the usage line: $name', async ({ args, message }) => {
    const cli = startCli(args, { CDN_HMAC_ACCESS_ID: '', CDN_HMAC_SECRET: '' });
    expect(await cli.exited).toBe(1);
    expect(cli.err()).toContain(message);
    expect(cli.err()).toContain('usage:');
  });
});
