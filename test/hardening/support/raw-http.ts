/**
 * HTTP/1.1 over a bare socket, for requests fetch() refuses to send: absolute-form targets, odd
 * Host headers, lowercase or unknown methods, raw dot segments, oversized headers.
 */
import { connect } from 'node:net';

export interface RawReply {
  /** Null when the server closed the connection without an answer. */
  status: number | null;
  /** Everything received, headers and body, as latin1 text. */
  raw: string;
}

export interface RawRequestParts {
  method: string;
  target: string;
  version?: string;
  /** In order, duplicates allowed; `Connection: close` is always added last. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
}

export function formatRawRequest(parts: RawRequestParts): string {
  const lines = [`${parts.method} ${parts.target} ${parts.version ?? 'HTTP/1.1'}`];
  for (const [name, value] of parts.headers ?? []) lines.push(`${name}: ${value}`);
  if (parts.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(parts.body)}`);
  lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${parts.body ?? ''}`;
}

export function sendRaw(port: number, request: string, timeoutMs = 5000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.slice(0, 120))}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after a complete answer (the server closing a connection it no longer reads) is still an answer.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ status: finalStatus(raw), raw });
    });
    socket.write(request, 'latin1');
  });
}

/** The status of the final answer: interim 1xx answers (100 Continue) come first. */
function finalStatus(raw: string): number | null {
  const statuses = [...raw.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1]));
  return statuses.find((status) => status >= 200) ?? statuses.at(-1) ?? null;
}
