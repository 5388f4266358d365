/** The emulator's HTTP server: one port for the JSON API, the XML API and the control API. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { cliPrefix } from '../../src/node/cli-kit';
import { handleControl, isControlPath } from './control';
import { XmlApiError, renderXmlError } from './errors';
import { parseFaultSpec } from './faults';
import type { ActiveFault, FaultSpec } from './faults';
import { virtualHostBucket } from './hosts';
import { parseRequestTarget, send } from './http-util';
import { handleJsonApi, isJsonApiPath } from './json-api';
import type { HmacKey } from './keys';
import type { LogEntry } from './request-log';
import { EmulatorState } from './state';
import type { ObjectMetadataInput } from './store';
import { handleXmlApi } from './xml-api';

export interface EmulatorOptions {
  /** 0 = ephemeral. Default 4443. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Buckets that exist at start (private). */
  buckets?: string[];
  hmacKeys?: HmacKey[];
  /** Real clock in ms; the clock-offset fault is added on top. */
  now?: () => number;
  /** Called for every logged API request (the CLI prints them). */
  onRequest?: (entry: LogEntry) => void;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  requestLog(): LogEntry[];
  clearLog(): void;
  setFault(fault: FaultSpec): ActiveFault;
  faults(): ActiveFault[];
  clearFaults(): void;
  /** Gives the key a new random secret; false when the id is unknown. */
  rotateKey(accessId: string): boolean;
  setKey(accessId: string, secret: string): void;
  removeKey(accessId: string): boolean;
  restoreKeys(): void;
  createBucket(bucket: string, options?: { public?: boolean }): void;
  removeBucket(bucket: string): boolean;
  putObject(bucket: string, object: string, data: string | Uint8Array, metadata?: ObjectMetadataInput): { generation: string };
  removeObject(bucket: string, object: string): boolean;
  setClockOffset(offsetMs: number): void;
  /** Clears faults, clock offset and log; restores the keys given at start. */
  reset(): void;
}

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use`);
    this.name = 'PortInUseError';
  }
}

async function route(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
  // The Date header is the emulator's clock, offset included, as a skewed GCS would send it.
  res.setHeader('Date', new Date(state.now()).toUTCString());
  const target = parseRequestTarget(req.url);
  if (!target) {
    const error = new XmlApiError(400, 'InvalidURI', 'The request target must be a path or an absolute URI.');
    send(res, 400, { 'Content-Type': 'application/xml; charset=UTF-8' }, renderXmlError(error));
    return;
  }
  if (isControlPath(target.rawPath)) return handleControl(req, res, target, state);
  const virtualBucket = virtualHostBucket(req.headers.host);
  if (virtualBucket === null && isJsonApiPath(target.rawPath)) return handleJsonApi(req, res, target, state);
  handleXmlApi(req, res, target, state, virtualBucket);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const state = new EmulatorState(options.now ?? Date.now, options.hmacKeys ?? [], options.onRequest);
  for (const bucket of options.buckets ?? []) state.store.createBucket(bucket);

  const server = createServer((req, res) => {
    route(req, res, state).catch((error: unknown) => {
      process.stderr.write(`${cliPrefix('emulator')} internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}\n`);
      send(res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'emulator internal error\n');
    });
  });
  // Malformed requests and oversized headers get a plain 400/431 and never reach the handlers.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  const port = await listen(server, options.port ?? 4443, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const res of state.hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    requestLog: () => state.log.list(),
    clearLog: () => state.log.clear(),
    setFault: (fault) => state.faults.add(parseFaultSpec(fault)),
    faults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),
    rotateKey: (accessId) => state.keys.rotate(accessId),
    setKey: (accessId, secret) => state.keys.set(accessId, secret),
    removeKey: (accessId) => state.keys.remove(accessId),
    restoreKeys: () => state.keys.restore(),
    createBucket: (bucket, bucketOptions = {}) => {
      state.store.createBucket(bucket, bucketOptions.public === undefined ? {} : { publicRead: bucketOptions.public });
    },
    removeBucket: (bucket) => state.store.removeBucket(bucket),
    putObject: (bucket, object, data, metadata = {}) => {
      if (!state.store.bucket(bucket)) state.store.createBucket(bucket);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      return { generation: String(state.store.putObject(bucket, object, bytes, metadata).generation) };
    },
    removeObject: (bucket, object) => state.store.removeObject(bucket, object),
    setClockOffset: (offsetMs) => {
      state.clockOffsetMs = offsetMs;
    },
    reset: () => state.reset(),
  };
}
