/**
 * The local Compute host: serves a compiled Compute module (bin/main.wasm) on 127.0.0.1, one
 * fresh instance per request like Viceroy, configured by fastly.toml's [local_server].
 * See docs/compute-host.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FASTLY_BACKEND_TIMEOUTS } from '../../src/node/backend-fetch';
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import type { LocalManifest } from '../../src/node/manifest';
import { ListenError } from '../../src/node/server';
import { CacheStore } from './cache-store';
import { MAX_HEADER_BYTES } from '../../src/node/edge-limits';
import { BadDownstreamRequest, ResponseWriter, readDownstreamRequest } from './downstream';
import { buildJob } from './job';
import { loadComputeModule } from './module';
import { poolFor } from './pool';
import type { SandboxHost } from './sandbox-host';
import type { GuestRequestStats } from './protocol';
import { SandboxRun } from './sandbox-run';
import { guestWorkerScript } from './worker-script';
import { urlHost } from '../../src/node/url-host';

export { WasmModuleError } from './module';
export type { GuestRequestStats, SandboxOutcome } from './protocol';

export interface ComputeHostOptions {
  wasm: string | Uint8Array;
  manifest: LocalManifest;
  host?: string;
  port: number;
  env?: Record<string, string | undefined>;
  now?: () => number;
  timeouts?: Partial<BackendTimeouts>;
  /** Workers kept ready (each runs one sandbox at a time); shared by the hosts of one module. */
  workers?: number;
  /** How far the pool may grow while every busy worker only waits for I/O. */
  maxWorkers?: number;
  /** Wall-time limit of one sandbox (Compute: 2 minutes). */
  deadlineMs?: number;
  log?: (stream: 'stdout' | 'stderr', line: string) => void;
  /**
   * For tests of the guest's error handling: hostcalls (`fastly_config_store::get`) that answer
   * this status instead of doing their work, e.g. 1 (`error`).
   */
  hostcallFaults?: Record<string, number>;
  onRequestStats?: (stats: GuestRequestStats) => void;
  /** Instantiate the module now but listen only once this settles (rejected: nothing listens, the rejection is thrown). */
  listenAfter?: Promise<unknown>;
}

export interface ComputeHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const COMPUTE_DEADLINE_MS = 120_000;
/** Workers a host keeps ready unless told otherwise. */
export const DEFAULT_WORKERS = 6;
const DEFAULT_MAX_WORKERS = 16;
const KEEP_ALIVE_MS = 65_000;
/**
 * Job ids are unique in the process, not per host: the hosts of one module share its worker pool,
 * which routes every sandbox message by job id (two hosts' job 1 would take each other's replies).
 */
let nextJobId = 1;

function defaultLog(stream: 'stdout' | 'stderr', line: string): void {
  (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`);
}

export async function startComputeHost(options: ComputeHostOptions): Promise<ComputeHost> {
  const module = await loadComputeModule(options.wasm);
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  const timeouts = { ...FASTLY_BACKEND_TIMEOUTS, ...options.timeouts };
  const sandboxHost: SandboxHost = {
    backends: options.manifest.backends,
    timeouts,
    cache: new CacheStore(now),
    deadlineMs: options.deadlineMs ?? COMPUTE_DEADLINE_MS,
    log,
    onStats: options.onRequestStats ?? (() => {}),
    announced: new Set(),
  };
  const pool = poolFor(module, await guestWorkerScript());
  const floor = options.workers ?? DEFAULT_WORKERS;
  await pool.join(sandboxHost, floor, Math.max(floor, options.maxWorkers ?? DEFAULT_MAX_WORKERS));
  let port = 0;

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const writer = new ResponseWriter(res, req.method ?? 'GET');
    readDownstreamRequest(req, host, port).then(
      (request) => {
        const job = buildJob({ id: nextJobId++, request, manifest: options.manifest, env: options.env ?? process.env, now, timeouts, hostcallFaults: options.hostcallFaults ?? {} });
        pool.submit(new SandboxRun(job, writer, sandboxHost));
      },
      (error: unknown) => {
        if (res.headersSent) return;
        const status = error instanceof BadDownstreamRequest ? error.status : 400;
        const text = error instanceof Error ? error.message : String(error);
        log('stderr', `compute-host: ${req.method} ${(req.url ?? '').slice(0, 200)}: ${status} before any sandbox: ${text}`);
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${text}\n`);
      },
    );
  });
  // Clients close idle keep-alive connections after a few seconds (undici: about 4 s); a server that
  // closes them first races a client reusing one and resets it. Sandboxes can be slow under load.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  if (options.listenAfter) {
    try {
      await options.listenAfter;
    } catch (error) {
      await pool.leave(sandboxHost);
      throw error;
    }
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await pool.leave(sandboxHost);
    // The Node host's error: `code` stays EADDRINUSE, the message names the port.
    throw new ListenError(host, options.port, (error as NodeJS.ErrnoException).code, { cause: error });
  }
  port = (server.address() as AddressInfo).port;
  const shownHost = urlHost(host);
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.leave(sandboxHost);
    },
  };
}
