/**
 * Defects that exist only on Compute, caught by running bin/main.wasm: each case failed on the
 * wasm before its fix in src/fastly/platform.ts or the config (see docs/compute-host.md).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../scripts/stack/wasm-artifact';
import { TEST_ACCESS_ID, TEST_SECRET } from '../support/fake-platform';
import { localServerToml } from '../support/manifest-toml';
import { manifestOf, startHost } from './support/host';
import type { HostUnderTest } from './support/host';
import type { ComputeHostOptions } from '../../scripts/compute-host/index';

const CANARY = () => JSON.stringify({ kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence: 1, writer: 'fixes-test' });
let wasm: string;
let origin: Server;
let originUrl: string;
let behaviour: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  wasm = (await ensureWasm()).path;
  origin = createServer((req, res) => behaviour(req, res));
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  origin?.closeAllConnections();
  await new Promise((resolve) => origin?.close(resolve));
});

interface Health {
  status: string;
  reason: string;
  output: string;
  checks: { 'origin:fetch'?: [{ reason: string; detail?: string }] };
}

async function health(config: Record<string, string>, options: Partial<ComputeHostOptions> = {}): Promise<{ status: number; body: Health; host: HostUnderTest }> {
  const toml = localServerToml({
    backends: { gcs: originUrl },
    config: { bucket: 'fixes-bucket', object: 'canary.json', signing: 'none', attempts: '1', result_ttl_ms: '0', deadline_ms: '3000', ...config },
    secrets: { hmac_access_id: TEST_ACCESS_ID, hmac_secret: TEST_SECRET },
  });
  const host = await startHost(wasm, { manifest: manifestOf(toml), ...options });
  try {
    const response = await fetch(`${host.url}/health`);
    const text = await response.text();
    expect(response.headers.get('content-type'), `a report, not a bare error: ${text}`).toContain('json');
    return { status: response.status, body: JSON.parse(text) as Health, host };
  } finally {
    await host.close();
  }
}

const serveCanary = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(CANARY());
};

describe('result_ttl_ms', () => {
  it('a value that is not whole seconds is misconfigured by name (SimpleCache keeps whole seconds)', async () => {
    behaviour = serveCanary;
    const { status, body } = await health({ result_ttl_ms: '1500' });
    expect(status).toBe(503);
    expect(body.reason).toBe('misconfigured');
    expect(body.output).toContain('result_ttl_ms');
  });
});

describe('a backend body that fails while it is read', () => {
  it('stalling past the between-bytes timeout is timeout', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"kind":');
    };
    const { body } = await health({}, { timeouts: { betweenBytesMs: 300 } });
    expect(body.checks['origin:fetch']?.[0].reason).toBe('timeout');
  });

  it('a connection closed mid-body is connect_failed', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"kind":', () => res.destroy());
    };
    const { body } = await health({});
    expect(body.checks['origin:fetch']?.[0].reason).toBe('connect_failed');
  });
});

describe('a store or platform error', () => {
  it.each([
    ['fastly_config_store::get', 'config store canary_config'],
    ['fastly_secret_store::get', 'secret store canary_secrets'],
  ])('%s failing is a misconfigured report naming the store, not a bare 500', async (hostcall, named) => {
    behaviour = serveCanary;
    const { status, body } = await health({ signing: 'goog4' }, { hostcallFaults: { [hostcall]: 1 } });
    expect(status).toBe(503);
    expect(body.reason).toBe('misconfigured');
    expect(body.output).toContain(named);
  });

  it('a failing cache still answers: the check runs without coalescing', async () => {
    behaviour = serveCanary;
    const { status, body, host } = await health({ result_ttl_ms: '5000' }, { hostcallFaults: { 'fastly_cache::transaction_lookup': 1 } });
    expect({ status, reason: body.reason }).toEqual({ status: 200, reason: 'ok' });
    expect(host.stdout().some((line) => line.includes('SimpleCache'))).toBe(true);
  });
});
