/** A throwaway HTTP server on 127.0.0.1 that records request lines; without a handler it never answers. */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  url: string;
  /** Request lines received, e.g. `GET /edge-canary/canary.json`. */
  received: string[];
  /** Client connections still open right now. */
  openSockets(): number;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** `handler` omitted: accepts every request and never answers, the worst origin there is. */
export async function startTestServer(handler?: Handler): Promise<TestServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    handler?.(request, response);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The production hostname as the edge check sees it: a fresh canary, never from cache. */
export function freshCanaryHandler(body: () => string): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(body());
  };
}
