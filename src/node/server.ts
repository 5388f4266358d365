/**
 * Serves a fetch-style app (the Hono app) over HTTP/1.1 with @hono/node-server, behind the same
 * front door as the local Compute host: Fastly's edge limits (src/node/edge-limits.ts).
 */

import { IncomingMessage } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { MAX_HEADER_BYTES, MAX_URL_BYTES, urlTooLong } from './edge-limits';
import { asSent, keepSentTargets } from './raw-target';
import { urlHost } from './url-host';

export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

export interface ServeOptions {
  port: number;
  hostname?: string;
  /** How long close() lets in-flight requests finish before cutting their connections. */
  closeGraceMs?: number;
}

export interface RunningServer {
  url: string;
  hostname: string;
  port: number;
  /** Stops listening and closes every connection, kept-alive ones included. */
  close(): Promise<void>;
}

/** The address could not be listened on; the message names it. */
export class ListenError extends Error {
  readonly hostname: string;
  readonly port: number;
  readonly code: string | undefined;
  constructor(hostname: string, port: number, code: string | undefined, options?: { cause?: unknown }) {
    super(listenProblem(hostname, port, code), options);
    this.name = 'ListenError';
    this.hostname = hostname;
    this.port = port;
    this.code = code;
  }
}

export function serve(app: FetchApp, options: ServeOptions): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const closeGraceMs = options.closeGraceMs ?? 2000;
  const server = createAdaptorServer({
    fetch: (request: Request, env: { incoming: unknown }) => {
      const sent = asSent(request, env.incoming instanceof IncomingMessage ? env.incoming : undefined);
      return urlTooLong(sent.url) ? uriTooLong() : app.fetch(sent);
    },
    hostname,
    // Keep the standard Request/Response globals: the core and the backend fetch use them directly.
    overrideGlobalObjects: false,
    serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
  }) as Server;
  keepSentTargets(server);
  const inFlight = trackResponses(server);

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ListenError(hostname, options.port, error.code, { cause: error }));
    });
    server.listen(options.port, hostname, () => {
      const { port } = server.address() as AddressInfo;
      const host = urlHost(hostname);
      resolve({ url: `http://${host}:${port}`, hostname, port, close: () => closeServer(server, inFlight, closeGraceMs) });
    });
  });
}

function uriTooLong(): Response {
  return new Response(`request URL longer than ${MAX_URL_BYTES} bytes\n`, {
    status: 414,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * Node's server.close() leaves a kept-alive connection open after its last response (until the
 * keep-alive timeout), so responses finishing during shutdown say `Connection: close`.
 */
function trackResponses(server: Server): Set<ServerResponse> {
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.on('close', () => {
      inFlight.delete(response);
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
  return inFlight;
}

function closeServer(server: Server, inFlight: Set<ServerResponse>, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    for (const response of inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    const cutoff = setTimeout(() => server.closeAllConnections(), graceMs);
    cutoff.unref();
    server.close(() => {
      clearTimeout(cutoff);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function listenProblem(hostname: string, port: number, code: string | undefined): string {
  if (code === 'EADDRINUSE') return `port ${port} on ${hostname} is already in use`;
  if (code === 'EACCES') return `no permission to listen on ${hostname} port ${port}`;
  if (code === 'EADDRNOTAVAIL') return `address ${hostname} is not available on this machine (port ${port})`;
  return `cannot listen on ${hostname} port ${port}${code === undefined ? '' : ` (${code})`}`;
}
