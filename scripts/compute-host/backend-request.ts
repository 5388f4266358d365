/**
 * A sandbox's backend request, made by the main thread with the Node host's backend fetch (same
 * Host-header rule, TLS identity and timeouts as Viceroy and the Node host), with its events
 * forwarded to the sandbox: the response head, then body chunks as they arrive.
 */
import type { BackendSpec } from '../../src/node/manifest';
import { fetchBackend } from '../../src/node/backend-fetch';
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import { BackendError } from '../../src/core/types';
import type { HeaderPairs, OutgoingRequest, SendErrorTag } from './protocol';

export interface BackendEvents {
  response(status: number, headers: HeaderPairs, knownLength: number | null): void;
  chunk(chunk: Uint8Array): void;
  end(): void;
  bodyError(message: string): void;
  failed(tag: SendErrorTag, message: string): void;
}

const latin1 = new TextDecoder('latin1');

export function sendToBackend(spec: BackendSpec, outgoing: OutgoingRequest, timeouts: BackendTimeouts, signal: AbortSignal, events: BackendEvents): void {
  let request: Request;
  try {
    request = toRequest(outgoing, signal);
  } catch (error) {
    events.failed('internal_error', `request cannot be sent: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  fetchBackend(spec, request, { timeouts }).then(
    (response) => forward(response, outgoing.autoDecompressGzip, signal, events),
    (error: unknown) => {
      if (!signal.aborted) events.failed(...sendErrorOf(error));
    },
  );
}

/**
 * Viceroy's Host rule: the Host header the guest set, else the URI's authority. The Request's URL
 * carries it to fetchBackend, which applies override_host and connects to the backend's url.
 */
function toRequest(outgoing: OutgoingRequest, signal: AbortSignal): Request {
  const uri = new URL(outgoing.url);
  const headers = new Headers();
  let host: string | null = null;
  for (const [name, value] of outgoing.headers) {
    if (name === 'host') host ??= latin1.decode(value);
    else headers.append(name, latin1.decode(value));
  }
  const authority = host !== null && URL.canParse(`${uri.protocol}//${host}/`) && !/[/?#@\s]/.test(host) ? host : uri.host;
  const url = `${uri.protocol}//${authority}${uri.pathname}${uri.search}`;
  const body = outgoing.body === null ? null : Uint8Array.from(outgoing.body);
  return new Request(url, { method: outgoing.method, headers, body, signal });
}

async function forward(response: Response, gunzip: boolean, signal: AbortSignal, events: BackendEvents): Promise<void> {
  const headers: HeaderPairs = [];
  const decompress = gunzip && /^\s*gzip\s*$/i.test(response.headers.get('content-encoding') ?? '');
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    if (decompress && (name === 'content-encoding' || name === 'content-length')) return;
    headers.push([name, Buffer.from(value, 'latin1')]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', Buffer.from(cookie, 'latin1')]);
  const length = response.headers.get('content-length');
  events.response(response.status, headers, !decompress && length !== null && /^\d+$/.test(length) ? Number(length) : null);
  if (response.body === null) return events.end();
  const body = decompress ? response.body.pipeThrough(new DecompressionStream('gzip')) : response.body;
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.chunk(value);
    }
    events.end();
  } catch (error) {
    if (!signal.aborted) events.bodyError(error instanceof Error ? error.message : String(error));
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** The send_error_detail a Compute host would report for what the Node backend fetch saw. */
export function sendErrorOf(error: unknown): [SendErrorTag, string] {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BackendError && error.kind === 'timeout') {
    return [/connection/i.test(message) ? 'connection_timeout' : 'http_response_timeout', message];
  }
  if (/refused/i.test(message)) return ['connection_refused', message];
  if (/host name/i.test(message)) return ['dns_error', message];
  if (/TLS|certificate/i.test(message)) return ['tls_certificate_error', message];
  if (/not an HTTP response|unusable response/i.test(message)) return ['http_incomplete_response', message];
  return ['connection_terminated', message];
}
