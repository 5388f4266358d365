/** Small helpers over node:http shared by the three APIs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderList } from './canonical';

export interface RequestTarget {
  rawPath: string;
  rawQuery: string;
}

/** Origin-form (`/p?q`) or absolute-form (`http://h/p?q`) request targets; anything else is null. */
export function parseRequestTarget(url: string | undefined): RequestTarget | null {
  if (!url) return null;
  let target = url;
  if (!url.startsWith('/')) {
    const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(url);
    if (!match) return null;
    target = match[1] || '/';
    if (!target.startsWith('/')) target = `/${target}`;
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

export function headerList(req: IncomingMessage): HeaderList {
  const list: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) list.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  return list;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a complete answer; HEAD gets the same headers and no body. */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string, head = false): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(head ? undefined : bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, extraHeaders: Record<string, string> = {}): void {
  send(res, status, { 'Content-Type': 'application/json; charset=UTF-8', ...extraHeaders }, JSON.stringify(value));
}

/** Drops the connection abruptly (TCP RST where the platform allows), as a crashing proxy would. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
