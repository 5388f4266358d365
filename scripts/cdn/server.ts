/** `startCdn(options)`: the local production CDN on 127.0.0.1, in front of the emulator. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackendAgents } from '../../src/node/backend-fetch';
import { cliPrefix } from '../../src/node/cli-kit';
import { urlHost } from '../../src/node/url-host';
import { ResponseCache } from './cache';
import { createCdnHandler, type CdnStats } from './handler';
import { resolveCdnOptions, type CdnOptions, type ResolvedCdnOptions } from './options';

export interface RunningCdn {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** A snapshot of the counters at the time it is read. */
  readonly stats: CdnStats;
  /** The options in force, defaults filled in (credentials included: never print them). */
  readonly options: ResolvedCdnOptions;
  /** Drops every cached entry, like a purge-all. */
  purgeAll(): void;
  close(): Promise<void>;
}

export async function startCdn(options: CdnOptions): Promise<RunningCdn> {
  const resolved = resolveCdnOptions(options);
  const cache = new ResponseCache(resolved.now);
  const counters = { requests: 0, hits: 0, misses: 0, passes: 0, fallbacks: 0, originReads: 0 };
  const agents = createBackendAgents();
  const handle = createCdnHandler(resolved, cache, counters, agents);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`${cliPrefix('cdn')} internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('local CDN internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = urlHost(resolved.hostname);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    get stats() {
      return { ...counters, stored: cache.size };
    },
    options: resolved,
    purgeAll: () => cache.purgeAll(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agents.http.destroy();
        agents.https.destroy();
      });
      return closing;
    },
  };
}
