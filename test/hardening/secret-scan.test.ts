/**
 * The secret scanner must not be able to do nothing silently: each channel it claims to watch is
 * given a planted credential here, and the sighting must be recorded (then taken, so the setup
 * file's afterEach does not fail this test for the plant).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../src/node/platform';
import { TEST_ACCESS_ID, TEST_SECRET } from '../support/fake-platform';
import {
  assertNoSecrets, findSecrets, isSecretScanInstalled, registerSecret, registeredCount, SecretLeakError, takeSecretHits,
} from '../support/secret-scan';

const PLANTED = 'planted-secret-7f3a9c1e5b2d';

afterEach(() => {
  expect(takeSecretHits()).toEqual([]);
});

async function withServer(body: string, path: string, run: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.write(body.slice(0, 10));
    response.end(body.slice(10));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('the secret scanner', () => {
  it('is installed for this run and knows the suite credentials, fastly.toml dev key included', () => {
    expect(isSecretScanInstalled()).toBe(true);
    expect(registeredCount()).toBeGreaterThanOrEqual(20);
    expect(findSecrets('x bG9jYWwtZGV2LXNlY3JldC1lZGdlLWNhbmFyeTA= x').map((f) => f.label)).toEqual(['fastly.toml local dev hmac_secret']);
  });

  it.each([
    { name: 'raw', text: `leak ${TEST_SECRET}` },
    { name: 'URL-encoded', text: `?sig=${encodeURIComponent(TEST_SECRET)}` },
    { name: 'access id', text: `Credential=${TEST_ACCESS_ID}/20261126/auto/storage/goog4_request` },
  ])('finds a $name credential in text', ({ text }) => {
    expect(findSecrets(text)).toHaveLength(1);
    expect(() => assertNoSecrets(text, 'a child process')).toThrow(SecretLeakError);
  });

  it('names the credential in its failure message without printing it', () => {
    const error = (() => {
      try {
        assertNoSecrets(`x ${TEST_SECRET}`, 'stdout of a CLI');
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();
    expect(error?.message).toContain('TEST_SECRET (test/support/fake-platform.ts)');
    expect(error?.message).toContain('stdout of a CLI');
    expect(error?.message).not.toContain(TEST_SECRET);
  });

  it('refuses to register values short enough to match ordinary text', () => {
    expect(() => registerSecret('s3cr3t')).toThrow(RangeError);
  });

  it('catches a registered secret in a Response body read, and the read throws', async () => {
    registerSecret(PLANTED, { label: 'planted' });
    await expect(new Response(`body ${PLANTED}`).text()).rejects.toThrow(SecretLeakError);
    await expect(new Response(JSON.stringify({ leak: PLANTED })).json()).rejects.toThrow(SecretLeakError);
    await expect(new Response(PLANTED).arrayBuffer()).rejects.toThrow(SecretLeakError);
    expect(takeSecretHits().map((hit) => hit.channel)).toEqual([
      'response body (constructed Response)', 'response body (constructed Response)', 'response body (constructed Response)',
    ]);
  });

  it('catches a secret in a Response header', () => {
    const response = new Response('ok', { headers: { 'x-debug': TEST_SECRET } });
    expect(response.headers.get('x-debug')).toBeTruthy();
    expect(takeSecretHits()).toMatchObject([{ label: 'TEST_SECRET (test/support/fake-platform.ts)', channel: 'response headers (constructed Response)' }]);
  });

  it('catches a secret written by an in-process HTTP server, even split across chunks, whoever reads it', async () => {
    await withServer(`xxxxx${TEST_SECRET}yyyyy`, '/health', async (url) => {
      const response = await fetch(url).catch(() => null);
      await response?.body?.cancel();
    });
    const hits = takeSecretHits();
    expect(hits.map((hit) => hit.channel)).toContain('server response body GET /health');
  });

  it('allows full access ids (never secrets) in the emulator control API, which lists keys by design', async () => {
    await withServer(`{"accessIds":["${TEST_ACCESS_ID}"]}`, '/_emulator/keys', async (url) => {
      expect(await (await fetch(url)).text()).toContain(TEST_ACCESS_ID);
    });
    expect(takeSecretHits()).toEqual([]);
    await withServer(`{"secret":"${TEST_SECRET}"}`, '/_emulator/keys', async (url) => {
      await expect((await fetch(url)).text()).rejects.toThrow(SecretLeakError);
    });
    expect(takeSecretHits().map((hit) => hit.kind)).toEqual(['secret', 'secret']);
  });

  it('catches a credential on stderr (where the Node host logs), stdout and the console', () => {
    // A throwaway value: the plant is printed for real, and the suite's own credentials should not be.
    registerSecret(PLANTED, { label: 'planted' });
    process.stderr.write(`{"msg":"planted log line","secret":"${PLANTED}"}\n`);
    process.stdout.write(Buffer.from(`planted ${PLANTED}\n`));
    console.log('planted %s', PLANTED);
    expect(takeSecretHits().map((hit) => hit.channel)).toEqual(['process.stderr.write', 'process.stdout.write', 'console.log']);
  });

  it("catches a credential in the Node host's default log (stderr)", () => {
    registerSecret(PLANTED, { label: 'planted' });
    const platform = createNodePlatform({ file: 'none.toml', backends: new Map(), configStores: new Map(), secretStores: new Map() }, { env: {} });
    platform.log({ msg: 'planted log field', detail: PLANTED });
    platform.close();
    expect(takeSecretHits()).toMatchObject([{ label: 'planted', channel: 'process.stderr.write' }]);
  });
});
