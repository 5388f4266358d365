/**
 * Through staging over TLS: the gate connects to the staging address but speaks to it as to the
 * production hostname, with SNI and Host files.example.test, and checks the certificate against
 * that name. The certificate is a throwaway self-signed one for files.example.test (fixtures/,
 * made with openssl, valid until 2126), trusted by the gate process through NODE_EXTRA_CA_CERTS.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_SERVICE_ID, startGateStack, type GateStack } from '../../scripts/demo/gate-stack';
import { spawnScript } from '../support/spawn-script';
import { registerGateToken, TEST_FASTLY_TOKEN } from './gate-support';

const CERT_FILE = fileURLToPath(new URL('fixtures/staging-tls.crt', import.meta.url));
const KEY_FILE = fileURLToPath(new URL('fixtures/staging-tls.key', import.meta.url));

let stack: GateStack;
let staging: Server;
const seen: { servername: string | false; host: string | undefined }[] = [];

beforeAll(async () => {
  registerGateToken();
  stack = await startGateStack({ token: TEST_FASTLY_TOKEN });
  // The staging POP, answering with a fresh canary as a correct draft would.
  staging = createServer({ key: readFileSync(KEY_FILE), cert: readFileSync(CERT_FILE) }, (req, res) => {
    seen.push({ servername: (req.socket as TLSSocket).servername ?? false, host: req.headers.host });
    res.writeHead(200, { 'content-type': 'application/json', 'x-cache': 'MISS', age: '0' });
    res.end(JSON.stringify({ kind: 'edge-canary', version: 1, written_at: new Date().toISOString(), sequence: 1 }));
  });
  await new Promise<void>((resolve) => staging.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  staging.closeAllConnections();
  await new Promise<void>((resolve) => staging.close(() => resolve()));
  await stack.close();
});

function gateOver(url: string) {
  const { FASTLY_API_TOKEN: _inherited, ...env } = process.env;
  const connectTo = `127.0.0.1:${(staging.address() as AddressInfo).port}`;
  return spawnScript('scripts/gate.ts', [
    '--service-id', GATE_SERVICE_ID, '--version', '45', '--url', url, '--api-base', stack.api.url,
    '--connect-to', connectTo, '--settle', '0', '--interval', '0', '--confirm', '2',
  ], { env: { ...env, FASTLY_API_TOKEN: TEST_FASTLY_TOKEN, NODE_EXTRA_CA_CERTS: CERT_FILE }, timeoutMs: 60_000 }).done;
}

describe('the gate over TLS to a staging address', () => {
  it('sends the production hostname as SNI and Host, and checks the certificate for it', async () => {
    seen.length = 0;
    const run = await gateOver('https://files.example.test/edge-canary/canary.json');
    expect(run.stdout).toContain('PASSED: version 45 reads ok through staging (not activated)');
    expect(run.code).toBe(0);
    expect(seen).toEqual([{ servername: 'files.example.test', host: 'files.example.test' }, { servername: 'files.example.test', host: 'files.example.test' }]);
  });

  it('blocks when the staging address shows a certificate for another name', async () => {
    seen.length = 0;
    const run = await gateOver('https://other.example.test/edge-canary/canary.json');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/BLOCKED: connect_failed via staging/);
    expect(run.stdout).toMatch(/altnames|certificate|other\.example\.test/i);
    expect(seen).toEqual([]);
  });
});
