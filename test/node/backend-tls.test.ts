/**
 * https backends of the Node host: TLS with the default certificate check, SNI as `use_sni` and
 * `cert_host` say, and the signed Host header kept. The certificate is a throwaway self-signed one
 * for `localhost` (DNS name only), made for these tests with openssl and valid until 2126.
 */

import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchBackend } from '../../src/node/backend-fetch';
import type { BackendAgents } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';

const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5QIrcaiVeWUj911/
uxqJf5KI2JeVHfdv1j0OQ+MSQ4+hRANCAAQsfT++K4RVsA/1LI/P2jgT59DUmKhy
EZDZUdRsjYnHNtveXRtwzSeY4X0Cr90XwAm3D0SeEHDoF3FpnrfrYUE5
-----END PRIVATE KEY-----`;
const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBljCCATugAwIBAgIUa2ZSu8cDJ4lN3baZfjqNJEwLPCwwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjAxNTY0NVoYDzIxMjYxMTAy
MDE1NjQ1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQsfT++K4RVsA/1LI/P2jgT59DUmKhyEZDZUdRsjYnHNtveXRtwzSeY
4X0Cr90XwAm3D0SeEHDoF3FpnrfrYUE5o2kwZzAdBgNVHQ4EFgQUbU4fau+NWU5Z
m3YUrRGysiWuDCkwHwYDVR0jBBgwFoAUbU4fau+NWU5Zm3YUrRGysiWuDCkwDwYD
VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
SQAwRgIhAOQNOn2yIJsFzqjWbHtEiBkk85PfCNNM8LV+YePos48CAiEAyz9VlWV/
Vga8TZi2kTKclQrYXw9mxyfOlIwLFcr6LdA=
-----END CERTIFICATE-----`;

interface TlsOrigin {
  port: number;
  /** The SNI name of each TLS connection, false when none was sent. */
  serverNames: (string | false)[];
  hosts: (string | undefined)[];
  close(): Promise<void>;
}

let origin: TlsOrigin | undefined;
let agents: BackendAgents | undefined;

afterEach(async () => {
  agents?.https.destroy();
  await origin?.close();
  origin = undefined;
  agents = undefined;
});

async function startTlsOrigin(): Promise<TlsOrigin> {
  const serverNames: (string | false)[] = [];
  const hosts: (string | undefined)[] = [];
  const server = https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (request, response) => {
    hosts.push(request.headers.host);
    response.end('ok');
  });
  server.on('secureConnection', (socket: TLSSocket & { servername: string | false }) => serverNames.push(socket.servername));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    serverNames,
    hosts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Agents that trust the test certificate; closed after each test. */
function trustingAgents(): BackendAgents {
  agents = { http: new https.Agent(), https: new https.Agent({ ca: TEST_TLS_CERT, keepAlive: true }) };
  return agents;
}

function backend(url: string, overrides: Partial<BackendSpec> = {}): BackendSpec {
  return { name: 'gcs', url: new URL(url), overrideHost: null, certHost: null, useSni: true, ...overrides };
}

const SIGNED = 'https://storage.googleapis.com/edge-canary-test/canary.json';

describe('https backends', () => {
  it.each([
    { name: 'by host name: certificate checked against it, sent as SNI', host: 'localhost', overrides: {}, sni: 'localhost' },
    { name: 'use_sni = false: no SNI', host: 'localhost', overrides: { useSni: false }, sni: false },
    { name: 'by IP address with cert_host naming the certificate', host: '127.0.0.1', overrides: { certHost: 'localhost' }, sni: 'localhost' },
  ])('$name; the signed Host is kept', async ({ host, overrides, sni }) => {
    origin = await startTlsOrigin();
    const spec = backend(`https://${host}:${origin.port}`, overrides);
    const response = await fetchBackend(spec, new Request(SIGNED), { agents: trustingAgents() });
    expect(await response.text()).toBe('ok');
    expect(origin.serverNames).toEqual([sni]);
    expect(origin.hosts).toEqual(['storage.googleapis.com']);
  });

  it('a certificate that does not name the backend is connect_failed', async () => {
    origin = await startTlsOrigin();
    const failure = fetchBackend(backend(`https://127.0.0.1:${origin.port}`), new Request(SIGNED), { agents: trustingAgents() });
    await expect(failure).rejects.toMatchObject({ name: 'BackendError', kind: 'connect_failed' });
  });
});
