import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, StoreMissingError } from '../../src/core/types';
import type { LocalManifest, SecretSource } from '../../src/node/manifest';
import { createNodePlatform } from '../../src/node/platform';
import type { NodePlatform } from '../../src/node/platform';
import { startOrigin } from './origin';
import type { TestOrigin } from './origin';

function manifest(parts: Partial<LocalManifest> = {}): LocalManifest {
  return { file: 'test.toml', backends: new Map(), configStores: new Map(), secretStores: new Map(), ...parts };
}

const secrets = new Map<string, SecretSource>([
  ['hmac_access_id', { kind: 'value', value: 'GOOG1EXAMPLE' }],
  ['hmac_secret', { kind: 'env', variable: 'CANARY_TEST_SECRET' }],
]);

let platform: NodePlatform | undefined;
let origin: TestOrigin | undefined;

afterEach(async () => {
  platform?.close();
  await origin?.close();
  platform = undefined;
  origin = undefined;
  vi.restoreAllMocks();
});

describe('config store', () => {
  it('answers keys and lists them, so unknown keys can be reported', () => {
    const config = new Map([['bucket', 'b'], ['colour', 'blue']]);
    const store = createNodePlatform(manifest({ configStores: new Map([['canary_config', config]]) })).configStore();
    expect(store?.get('bucket')).toBe('b');
    expect(store?.get('object')).toBeNull();
    expect(store?.keys?.()).toEqual(['bucket', 'colour']);
  });

  it('is null when the manifest has no canary_config store', () => {
    const other = new Map([['other', new Map([['bucket', 'b']])]]);
    expect(createNodePlatform(manifest({ configStores: other })).configStore()).toBeNull();
  });
});

describe('secret store', () => {
  const withSecrets = manifest({ secretStores: new Map([['canary_secrets', secrets]]) });

  it.each([
    { name: 'inline data', secret: 'hmac_access_id', env: {}, expected: 'GOOG1EXAMPLE' },
    { name: 'an env entry whose variable is set', secret: 'hmac_secret', env: { CANARY_TEST_SECRET: 's3cr3t' }, expected: 's3cr3t' },
    { name: 'an env entry whose variable is unset', secret: 'hmac_secret', env: {}, expected: null },
    { name: 'an entry the store does not have', secret: 'other', env: {}, expected: null },
  ])('$name reads as $expected', async ({ secret, env, expected }) => {
    expect(await createNodePlatform(withSecrets, { env }).readSecret(secret)).toBe(expected);
  });

  it('a missing canary_secrets store throws StoreMissingError', async () => {
    await expect(createNodePlatform(manifest()).readSecret('hmac_secret')).rejects.toEqual(
      new StoreMissingError('canary_secrets'),
    );
  });
});

describe('identity', () => {
  it.each([
    { env: {}, pop: 'local', releaseId: 'local' },
    { env: { FASTLY_POP: 'LHR', FASTLY_SERVICE_VERSION: '42' }, pop: 'LHR', releaseId: '42' },
    { env: { FASTLY_POP: '', FASTLY_SERVICE_VERSION: '' }, pop: 'local', releaseId: 'local' },
  ])('env $env → pop $pop, release $releaseId', ({ env, pop, releaseId }) => {
    const node = createNodePlatform(manifest(), { env });
    expect(node.pop()).toBe(pop);
    expect(node.releaseId()).toBe(releaseId);
  });
});

describe('backends', () => {
  it('fetches the named backend with the signed Host', async () => {
    origin = await startOrigin((_req, res) => res.end('ok'));
    const gcs = { name: 'gcs', url: new URL(origin.url), overrideHost: null, certHost: null, useSni: true };
    platform = createNodePlatform(manifest({ backends: new Map([['gcs', gcs]]) }));
    expect(platform.hasBackend?.('gcs')).toBe(true);
    const response = await platform.fetchBackend('gcs', new Request('https://storage.googleapis.com/b/o'));
    expect(await response.text()).toBe('ok');
    expect(origin.received[0].headers.host).toBe('storage.googleapis.com');
  });

  it('a backend the manifest does not define is reported missing, and fetching it is connect_failed', async () => {
    platform = createNodePlatform(manifest());
    expect(platform.hasBackend?.('edge')).toBe(false);
    const failure = platform.fetchBackend('edge', new Request('https://www.example.com/canary.json'));
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ kind: 'connect_failed' });
  });
});

describe('log', () => {
  it('writes one JSON line to stderr, with errors as text', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    createNodePlatform(manifest(), { now: () => 0 }).log({ msg: 'probe failed', error: new Error('boom') });
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0][0]);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({ time: '1970-01-01T00:00:00.000Z', msg: 'probe failed', error: 'Error: boom' });
  });

  it('goes to the injected logger when one is given', () => {
    const lines: Record<string, unknown>[] = [];
    createNodePlatform(manifest(), { log: (fields) => lines.push(fields) }).log({ msg: 'x' });
    expect(lines).toEqual([{ msg: 'x' }]);
  });
});
