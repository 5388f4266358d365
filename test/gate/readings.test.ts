/**
 * One reading: connected to the given address, sent with the production Host, judged by the
 * canary's edge check (here: the backend header rule and freshness, with values the canary uses).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanary, type ReadingPlan } from '../../scripts/gate/readings';

let server: Server;
let seen: IncomingHttpHeaders[] = [];
let replyHeaders: Record<string, string> = {};
let writtenAt = new Date();

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', ...replyHeaders });
    res.end(JSON.stringify({ kind: 'edge-canary', version: 1, written_at: writtenAt.toISOString(), sequence: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function plan(overrides: Partial<ReadingPlan['judgement']> = {}): ReadingPlan {
  return {
    url: new URL('http://files.example.org:8443/edge-canary/canary.json'),
    connectTo: { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    judgement: { attempts: 1, warnAgeSeconds: 300, maxAgeSeconds: 900, edgeBackendHeader: null, edgeExpectedBackend: null, ...overrides },
    deadlineMs: 3000,
  };
}

describe('readCanary', () => {
  it('connects to the staging address with the production Host, as the edge check asks', async () => {
    seen = [];
    replyHeaders = {};
    writtenAt = new Date();
    const reading = await readCanary(plan());
    expect(reading).toMatchObject({ status: 'pass', reason: 'ok', httpStatus: 200, attempts: 1 });
    expect(seen[0]).toMatchObject({ host: 'files.example.org:8443', 'cache-control': 'no-cache', 'user-agent': 'edge-canary/0.1' });
  });

  it.each([
    ['the backend header naming another backend', { 'x-backend': 'archive' }, { edgeBackendHeader: 'x-backend', edgeExpectedBackend: 'gcs' }, 0, 'served_by_fallback'],
    ['a stale canary (a writer problem, still not a pass)', {}, {}, 1000, 'stale'],
    ['a canary older than the warn age', {}, {}, 400, 'stale'],
  ])('fails on %s', async (_name, headers, judgement, ageSeconds, reason) => {
    replyHeaders = headers;
    writtenAt = new Date(Date.now() - ageSeconds * 1000);
    const reading = await readCanary(plan(judgement));
    expect(reading.status).not.toBe('pass');
    expect(reading.reason).toBe(reason);
  });
});
