/** The API client against the fake: the paths and verbs of the reference, and each failure named. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FastlyApiError } from '../../scripts/gate/api-errors';
import { createFastlyApi } from '../../scripts/gate/fastly-api';
import { GATE_SERVICE_ID, startGateStack, type GateStack } from '../../scripts/demo/gate-stack';
import { registerGateToken, TEST_FASTLY_TOKEN } from './gate-support';

let stack: GateStack;
let hanging: Server;
beforeAll(async () => {
  registerGateToken();
  stack = await startGateStack({ token: TEST_FASTLY_TOKEN, stagingHost: '127.0.0.2' });
  hanging = createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await stack.close();
});

const api = (overrides: { token?: string; base?: string; timeoutMs?: number } = {}) =>
  createFastlyApi({ token: overrides.token ?? TEST_FASTLY_TOKEN, base: overrides.base ?? stack.api.url, timeoutMs: overrides.timeoutMs ?? 5000 });

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<FastlyApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FastlyApiError);
  return error as FastlyApiError;
}

describe('the Fastly API client', () => {
  it('sends Fastly-Key and reads versions, staging IPs and the diff', async () => {
    const versions = await api().listVersions(GATE_SERVICE_ID);
    expect(versions.find((v) => v.active)?.number).toBe(41);
    expect(await api().listStagingDomains(GATE_SERVICE_ID, 45)).toEqual([{ name: '127.0.0.1', stagingIp: '127.0.0.2' }]);
    expect(await api().diff(GATE_SERVICE_ID, 41, 45)).toContain('+  max_conn: 400');
    expect(stack.api.calls().slice(-3)).toEqual([
      { method: 'GET', path: `/service/${GATE_SERVICE_ID}/version`, status: 200, authorized: true },
      { method: 'GET', path: `/service/${GATE_SERVICE_ID}/version/45/domain?include=staging_ips`, status: 200, authorized: true },
      { method: 'GET', path: `/service/${GATE_SERVICE_ID}/diff/from/41/to/45?format=text`, status: 200, authorized: true },
    ]);
  });

  it('uses PUT .../activate/staging, .../deactivate/staging and .../activate', async () => {
    await api().activateStaging(GATE_SERVICE_ID, 45);
    expect(stack.api.stagedVersion()).toBe(45);
    await api().deactivateStaging(GATE_SERVICE_ID, 45);
    expect(stack.api.stagedVersion()).toBeNull();
    expect(stack.api.calls().slice(-2).map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT /service/${GATE_SERVICE_ID}/version/45/activate/staging`, `PUT /service/${GATE_SERVICE_ID}/version/45/deactivate/staging`,
    ]);
  });

  it.each([
    ['a wrong token', () => api({ token: 'wrong-token' }).listVersions(GATE_SERVICE_ID), 'unauthorized', 401],
    ['an unknown version', () => api().activateStaging(GATE_SERVICE_ID, 77), 'not_found', 404],
    ['a refused request (400)', () => api().deactivateStaging(GATE_SERVICE_ID, 44), 'rejected', 400],
    ['an API outage', () => (stack.api.failNext(1, 503), api().listVersions(GATE_SERVICE_ID)), 'api_error', 503],
  ])('names %s', async (_name, call, kind, status) => {
    const error = await failure(call());
    expect(error).toMatchObject({ kind, httpStatus: status });
    expect(error.message).not.toContain('wrong-token');
  });

  it('names a timeout and an unreachable API', async () => {
    const slow = await failure(api({ base: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 200 }).listVersions(GATE_SERVICE_ID));
    expect(slow).toMatchObject({ kind: 'timeout' });
    expect(slow.message).toContain('no answer within 0.2 s');
    const closed = await failure(api({ base: `http://127.0.0.1:${await closedPort()}` }).listVersions(GATE_SERVICE_ID));
    expect(closed).toMatchObject({ kind: 'unreachable' });
    expect(closed.message).toContain('ECONNREFUSED');
  });
});
