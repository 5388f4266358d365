/**
 * The client side: reads a downstream request into the shape a sandbox gets, and writes what the
 * sandbox sends back, once (a sandbox that fails before answering gets a 500 from the host).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_URL_BYTES, urlTooLong } from '../../src/node/edge-limits';
import type { DownstreamRequest, HeaderPairs } from './protocol';

/** Far above anything the canary accepts; keeps a hostile client from filling memory. */
const MAX_REQUEST_BODY = 8 * 1024 * 1024;
const AUTHORITY = /^[A-Za-z0-9.\-_~%!$&'()*+,;=:[\]]+$/;
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const BODYLESS = new Set([204, 304]);

export class BadDownstreamRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readDownstreamRequest(req: IncomingMessage, serverAddress: string, port: number): Promise<DownstreamRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_REQUEST_BODY) throw new BadDownstreamRequest(413, `request body over ${MAX_REQUEST_BODY} bytes`);
    chunks.push(chunk);
  }
  const target = req.url ?? '/';
  const absolute = /^https?:\/\//i.test(target) && URL.canParse(target) ? new URL(target) : null;
  const path = absolute !== null ? absolute.pathname + absolute.search : target;
  if (!path.startsWith('/')) throw new BadDownstreamRequest(400, `request target "${target.slice(0, 100)}" is not a path`);
  // Like Viceroy, the URL the guest sees is rebuilt from the Host header.
  const host = req.headers.host === '' ? undefined : req.headers.host;
  const authority = host ?? absolute?.host ?? `${serverAddress}:${port}`;
  if (!AUTHORITY.test(authority)) throw new BadDownstreamRequest(400, 'Host header is not a valid authority');
  const url = `http://${authority}${path}`;
  if (!URL.canParse(url)) throw new BadDownstreamRequest(400, 'request URL cannot be parsed');
  if (urlTooLong(url)) throw new BadDownstreamRequest(414, `request URL longer than ${MAX_URL_BYTES} bytes`);
  const headers: HeaderPairs = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.push([req.rawHeaders[i].toLowerCase(), Buffer.from(req.rawHeaders[i + 1], 'latin1')]);
  }
  return {
    method: req.method ?? 'GET',
    url,
    headers,
    body: Buffer.concat(chunks),
    clientAddress: req.socket.remoteAddress ?? '127.0.0.1',
    serverAddress,
  };
}

/** Writes one response to the client; every later attempt is ignored, so a failure never writes twice. */
export class ResponseWriter {
  started = false;
  ended = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly method: string,
  ) {}

  head(status: number, headers: HeaderPairs, body: Uint8Array, streaming: boolean): void {
    if (this.started) return;
    this.started = true;
    const raw: string[] = [];
    let declaredLength: string | null = null;
    for (const [name, value] of headers) {
      const text = Buffer.from(value).toString('latin1');
      if (name === 'content-length') declaredLength = text;
      if (FRAMING.has(name)) continue;
      raw.push(name, text);
    }
    // Like Compute, the host frames the response itself: a full body gets its real length.
    if (!streaming && !BODYLESS.has(status)) raw.push('content-length', this.method === 'HEAD' && declaredLength !== null ? declaredLength : String(body.byteLength));
    try {
      this.res.writeHead(status, raw);
    } catch (error) {
      this.started = false;
      this.fail(`the guest's response head is not valid HTTP (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    if (streaming) {
      if (body.byteLength > 0) this.res.write(body);
      return;
    }
    this.ended = true;
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }

  chunk(chunk: Uint8Array): void {
    if (this.started && !this.ended) this.res.write(chunk);
  }

  end(complete: boolean): void {
    if (!this.started || this.ended) return;
    this.ended = true;
    if (complete) this.res.end();
    else this.res.destroy();
  }

  /** A 500 when nothing was sent yet; a cut connection when a streamed body was already under way. */
  fail(reason: string): void {
    if (this.ended) return;
    if (this.started) {
      this.end(false);
      return;
    }
    this.started = true;
    this.ended = true;
    const body = `local Compute host: ${reason}\n`;
    this.res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    this.res.end(body);
  }
}
