/**
 * The shipped artifact, bin/main.wasm, on the local Compute host against the GCS emulator: the
 * signed read passes in every signing mode and URL style, and a rotated key is the outage it
 * exists to catch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../scripts/emulator/index';
import type { Emulator } from '../../scripts/emulator/index';
import { ensureWasm } from '../../scripts/stack/wasm-artifact';
import { TEST_ACCESS_ID, TEST_SECRET } from '../support/fake-platform';
import { localServerToml } from '../support/manifest-toml';
import { manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';

const BUCKET = 'edge-canary-wasm-test';
const OBJECT = 'edge-canary/canary.json';
let wasm: string;
let emulator: Emulator;

beforeAll(async () => {
  wasm = (await ensureWasm()).path;
  emulator = await startEmulator({ port: 0, buckets: [BUCKET], hmacKeys: [{ accessId: TEST_ACCESS_ID, secret: TEST_SECRET }] });
  const canary = { kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence: 1, writer: 'compute-host-test' };
  emulator.putObject(BUCKET, OBJECT, JSON.stringify(canary));
}, 300_000);

afterAll(async () => {
  await emulator?.close();
});

function canaryOn(config: Record<string, string>): Promise<HostUnderTest> {
  const toml = localServerToml({
    backends: { gcs: emulator.url },
    config: { bucket: BUCKET, object: OBJECT, result_ttl_ms: '0', deadline_ms: '4000', ...config },
    secrets: { hmac_access_id: TEST_ACCESS_ID, hmac_secret: TEST_SECRET },
  });
  return startHost(wasm, { manifest: manifestOf(toml) });
}

interface Health {
  status: string;
  reason: string;
  checks: { 'origin:fetch': [{ reason: string; httpStatus: number; errorCode: string | null }] };
}

describe('bin/main.wasm', () => {
  it('/live is 200 ok without a backend', async () => {
    const host = await canaryOn({});
    try {
      const response = await fetch(`${host.url}/live`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok\n');
      expect(host.stats[0]?.backendRequests ?? 0).toBe(0);
    } finally {
      await host.close();
    }
  });

  it.each([
    ['goog4', 'path'],
    ['goog4', 'virtual'],
    ['aws4', 'path'],
    ['aws4', 'virtual'],
    ['v2', 'path'],
    ['v2', 'virtual'],
  ])('/health passes with %s signing, %s-style URLs, as the emulator verifies them', async (signing, style) => {
    const host = await canaryOn({ signing, url_style: style });
    try {
      const response = await fetch(`${host.url}/health`);
      const body = (await response.json()) as Health;
      expect({ status: response.status, reason: body.reason }).toEqual({ status: 200, reason: 'ok' });
      const read = emulator.requestLog().at(-1);
      expect(read?.status).toBe(200);
    } finally {
      await host.close();
    }
  });

  it('a rotated key is 503 auth_failed SignatureDoesNotMatch', async () => {
    const host = await canaryOn({});
    try {
      emulator.rotateKey(TEST_ACCESS_ID);
      const response = await fetch(`${host.url}/health`);
      const body = (await response.json()) as Health;
      expect(response.status).toBe(503);
      expect(body.reason).toBe('auth_failed');
      expect(body.checks['origin:fetch'][0]).toMatchObject({ reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch' });
    } finally {
      emulator.restoreKeys();
      await host.close();
    }
  });
});
