/**
 * A backend request the way Fastly (and Viceroy) make it: connect where the backend's url says,
 * but keep the Host header of the request, which is the host the app signed. Global fetch (undici)
 * would replace Host, so this speaks node:http directly.
 */

import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { BackendError } from '../core/types';
import type { BackendSpec } from './manifest';
import { bodyStream } from './body-stream';
import { transportError } from './transport-error';

export interface BackendTimeouts {
  connectMs: number;
  firstByteMs: number;
  betweenBytesMs: number;
}

/** The defaults of a Fastly backend, which the canary's deadlines are designed around. */
export const FASTLY_BACKEND_TIMEOUTS: BackendTimeouts = { connectMs: 1000, firstByteMs: 5000, betweenBytesMs: 5000 };

/** Longest timer Node can arm (2^31-1 ms, 24 days): "no timeout" until a deadline above ends the request. */
export const NO_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A shield backend's timeouts, as Viceroy and Compute apply them: the host's connect timeout (a
 * shield that is down fails fast) and first-byte and between-bytes only when the guest set them
 * (js-compute 3.46 never does), so a slow shield is bounded by the caller's deadline alone.
 */
export function shieldTimeouts(connectMs: number, firstByteMs: number | null = null, betweenBytesMs: number | null = null): BackendTimeouts {
  return { connectMs, firstByteMs: firstByteMs ?? NO_TIMEOUT_MS, betweenBytesMs: betweenBytesMs ?? NO_TIMEOUT_MS };
}

export interface BackendFetchOptions {
  timeouts?: BackendTimeouts;
  agents?: BackendAgents;
  /** Aborts the request (closing its socket); default: the request's own signal. */
  signal?: AbortSignal;
}

export interface BackendAgents {
  http: http.Agent;
  https: https.Agent;
}

export function createBackendAgents(): BackendAgents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

const sharedAgents = createBackendAgents();
const BODYLESS_STATUSES = new Set([204, 205, 304]);

/** Fetches from a backend by name; an unknown name is a connect failure, as on Fastly. */
export function fetchNamedBackend(
  backends: ReadonlyMap<string, BackendSpec>,
  name: string,
  request: Request,
  options: BackendFetchOptions = {},
): Promise<Response> {
  const backend = backends.get(name);
  if (backend === undefined) {
    return Promise.reject(new BackendError('connect_failed', `backend ${name} is not defined in the manifest`));
  }
  return fetchBackend(backend, request, options);
}

export async function fetchBackend(
  backend: BackendSpec,
  request: Request,
  options: BackendFetchOptions = {},
): Promise<Response> {
  const timeouts = options.timeouts ?? FASTLY_BACKEND_TIMEOUTS;
  const agents = options.agents ?? sharedAgents;
  const target = backend.url;
  const requestUrl = new URL(request.url);
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  headers.host = backend.overrideHost ?? requestUrl.host;
  const body = request.body === null ? null : Buffer.from(await request.arrayBuffer());
  if (body !== null) headers['content-length'] = String(body.byteLength);
  const isHttps = target.protocol === 'https:';
  const connectHost = target.hostname.replace(/^\[|\]$/g, '');
  const tlsName = backend.certHost ?? connectHost;
  // '' sends no SNI: undefined would make Node send the Host header (the signed host), and an IP
  // address is not a valid SNI name at all (Node asserts on it).
  const servername = backend.useSni && isIP(tlsName) === 0 ? tlsName : '';

  return new Promise<Response>((resolve, reject) => {
    const where = `backend ${backend.name} (${target.host})`;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => outgoing.destroy(new BackendError('timeout', `${where}: no ${what} within ${ms} ms`)), ms);
    };
    const disarm = () => clearTimeout(timer);

    const outgoing = (isHttps ? https : http).request({
      protocol: target.protocol,
      hostname: connectHost,
      port: target.port || (isHttps ? 443 : 80),
      method: request.method,
      path: joinPath(target.pathname, requestUrl.pathname) + requestUrl.search,
      headers,
      agent: isHttps ? agents.https : agents.http,
      // An explicit `checkServerIdentity: undefined` would replace TLS's default check, so it is left out unless needed.
      ...(isHttps ? { servername } : {}),
      ...(isHttps && backend.certHost !== null ? { checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(tlsName, cert) } : {}),
    });

    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return arm(timeouts.firstByteMs, 'first byte');
      arm(timeouts.connectMs, 'connection');
      socket.once('connect', () => arm(timeouts.firstByteMs, 'first byte'));
    });
    const signal = options.signal ?? request.signal;
    outgoing.on('error', (error) => {
      disarm();
      // An abort by the caller is not the backend's fault: report it as fetch does, with the reason.
      reject(signal.aborted && error === signal.reason ? error : transportError(where, error));
    });
    // Once the body has ended there is nothing left to abort, and the socket may already be back in
    // the keep-alive pool: drop the listener so a late abort cannot reach it.
    const onAbort = () => outgoing.destroy(signal.reason);
    outgoing.on('response', (incoming: IncomingMessage) => {
      disarm();
      incoming.once('end', () => signal.removeEventListener('abort', onAbort));
      try {
        resolve(toResponse(incoming, request.method, outgoing, timeouts.betweenBytesMs, where));
      } catch (error) {
        outgoing.destroy();
        reject(new BackendError('connect_failed', `${where}: unusable response (${String(error)})`, { cause: error }));
      }
    });

    if (signal.aborted) outgoing.destroy(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
    outgoing.end(body ?? undefined);
  });
}

function toResponse(
  incoming: IncomingMessage,
  method: string,
  outgoing: http.ClientRequest,
  betweenBytesMs: number,
  where: string,
): Response {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    headers.append(incoming.rawHeaders[i], incoming.rawHeaders[i + 1]);
  }
  const bodyless = method === 'HEAD' || BODYLESS_STATUSES.has(status);
  if (bodyless) incoming.resume();
  const body = bodyless ? null : bodyStream(incoming, () => outgoing.destroy(), betweenBytesMs, where);
  return new Response(body, { status, statusText: incoming.statusMessage ?? '', headers });
}

function joinPath(prefix: string, path: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? path : trimmed + path;
}
