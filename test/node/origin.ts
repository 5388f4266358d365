/** A throwaway HTTP origin on 127.0.0.1 for the Node host tests, recording what it received. */

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  remotePort: number;
}

export interface TestOrigin {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Resolves when every connection the origin accepted has closed. */
  allConnectionsClosed(): Promise<void>;
  openConnections(): number;
  close(): Promise<void>;
}

export type OriginHandler = (request: IncomingMessage, response: ServerResponse) => void;

export async function startOrigin(handler: OriginHandler): Promise<TestOrigin> {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let onEmpty: (() => void)[] = [];
  const server = http.createServer((request, response) => {
    received.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      remotePort: request.socket.remotePort ?? 0,
    });
    handler(request, response);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) onEmpty.splice(0).forEach((resolve) => resolve());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    openConnections: () => sockets.size,
    allConnectionsClosed: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => onEmpty.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        onEmpty = [];
      }),
  };
}

/** A port that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
