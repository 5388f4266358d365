/**
 * Fastly's two networks for one service, locally: a "production" and a "staging" address, each
 * answering with the local production CDN (scripts/cdn) configured as the version active there.
 * Activating a version starts a fresh CDN for it (staging and production never share a cache, as on
 * Fastly); an address with no version answers 503, as a staging IP with nothing staged would fail.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCdn, type CdnOptions, type RunningCdn } from '../cdn';
import type { Environment, FakeVersion } from './server';

export interface FakeNetworks {
  /** `http://127.0.0.1:PORT` of each network. */
  url(environment: Environment): string;
  port(environment: Environment): number;
  activate(environment: Environment, version: FakeVersion): Promise<void>;
  deactivate(environment: Environment): Promise<void>;
  /** The CDN now serving an environment, for its counters. */
  cdn(environment: Environment): RunningCdn | null;
  close(): Promise<void>;
}

export interface FakeNetworkOptions {
  cdnFor(version: FakeVersion): CdnOptions;
  /**
   * Give staging its own loopback address (e.g. 127.0.0.2) on production's port, as Fastly's
   * staging IP serves the same port: then the gate can find staging from the API's staging_ip.
   */
  stagingHost?: string;
}

export async function startFakeNetworks(options: FakeNetworkOptions): Promise<FakeNetworks> {
  const serving = new Map<Environment, RunningCdn>();
  const fronts = new Map<Environment, { server: ReturnType<typeof createServer>; host: string; port: number }>();
  for (const environment of ['production', 'staging'] as const) {
    const server = createServer((req, res) => forward(serving.get(environment), environment, req, res));
    const host = environment === 'staging' && options.stagingHost ? options.stagingHost : '127.0.0.1';
    const port = environment === 'staging' && options.stagingHost ? (fronts.get('production')?.port ?? 0) : 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    fronts.set(environment, { server, host, port: (server.address() as AddressInfo).port });
  }
  const portOf = (environment: Environment) => fronts.get(environment)?.port ?? 0;

  return {
    url: (environment) => `http://${fronts.get(environment)?.host ?? '127.0.0.1'}:${portOf(environment)}`,
    port: portOf,
    async activate(environment, version) {
      const next = await startCdn({ ...options.cdnFor(version), port: 0 });
      const previous = serving.get(environment);
      serving.set(environment, next);
      await previous?.close();
    },
    async deactivate(environment) {
      const previous = serving.get(environment);
      serving.delete(environment);
      await previous?.close();
    },
    cdn: (environment) => serving.get(environment) ?? null,
    async close() {
      for (const cdn of serving.values()) await cdn.close();
      serving.clear();
      for (const { server } of fronts.values()) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    },
  };
}

function forward(cdn: RunningCdn | undefined, environment: Environment, req: IncomingMessage, res: ServerResponse): void {
  if (!cdn) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`no service version is active on ${environment}\n`);
    return;
  }
  const upstream = request({ host: '127.0.0.1', port: cdn.port, method: req.method, path: req.url, headers: req.headers }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`local ${environment} network: ${error.message}\n`);
  });
  req.pipe(upstream);
}
