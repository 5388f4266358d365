import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatuspageStatus } from '../../src/core/types';

/**
 * A canary state, or a way of being broken: an HTML error page, or no answer at all; `misconfigured`
 * is a canary that cannot check anything; `same_check` answers the previous check again, with its
 * `checkedAt`, as a canary does while it shares one result per result_ttl_ms.
 */
export type CanaryBehaviour = StatuspageStatus | 'garbage' | 'no_statuspage_field' | 'hang' | 'misconfigured' | 'same_check';

export interface FakeCanary {
  url: string;
  /** The behaviours for the next requests, in order; the last one repeats. */
  behave(...behaviours: CanaryBehaviour[]): void;
  /** The Accept header of every request so far. */
  accepts: Array<string | undefined>;
  close(): Promise<void>;
}

/** A canary /health like the real one: health+json, 503 for outages, 200 otherwise. */
export async function startFakeCanary(...initial: CanaryBehaviour[]): Promise<FakeCanary> {
  let queue: CanaryBehaviour[] = initial.length > 0 ? initial : ['operational'];
  const canary: FakeCanary = {
    url: '',
    accepts: [],
    behave: (...behaviours) => {
      queue = behaviours;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  let checks = 0;
  let lastCheck = { status: 'operational' as StatuspageStatus, checkedAt: new Date().toISOString() };
  const server = createServer((req, res) => {
    canary.accepts.push(req.headers.accept);
    const behaviour = queue.length > 1 ? (queue.shift() as CanaryBehaviour) : queue[0];
    if (behaviour === 'hang') return;
    if (behaviour === 'misconfigured') {
      res.writeHead(503, { 'Content-Type': 'application/health+json' });
      res.end(JSON.stringify({ status: 'fail', reason: 'misconfigured', statuspage: null, output: 'config: bucket: required', checkedAt: new Date().toISOString() }));
      return;
    }
    if (behaviour === 'garbage') {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
      return;
    }
    if (behaviour === 'no_statuspage_field') {
      res.writeHead(200, { 'Content-Type': 'application/health+json' });
      res.end(JSON.stringify({ status: 'pass' }));
      return;
    }
    // Each answer is a new check, one millisecond apart at least, unless told to repeat the last one.
    if (behaviour !== 'same_check') lastCheck = { status: behaviour, checkedAt: new Date(Date.now() + checks++).toISOString() };
    const { status, checkedAt } = lastCheck;
    const failing = status === 'major_outage' || status === 'partial_outage';
    res.writeHead(failing ? 503 : 200, { 'Content-Type': 'application/health+json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ status: failing ? 'fail' : 'pass', serviceId: 'edge-canary', statuspage: status, checkedAt }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  canary.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  return canary;
}

/** A URL on which nothing listens: a port we held for a moment and let go. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/health`;
}
