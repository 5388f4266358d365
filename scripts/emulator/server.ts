/** The emulator's HTTP server: one port for the JSON API, the XML API and the control API. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { cliPrefix } from '../../src/node/cli-kit';
import { handleControl, isControlPath } from './control';
import { XmlApiError, renderXmlError } from './errors';
import { parseFaultSpec } from './faults';
import type { ActiveFault, FaultSpec } from './faults';
import { isS3Host, virtualHostBucket } from './hosts';
import { parseRequestTarget, send } from './http-util';
import type { RequestTarget } from './http-util';
import { handleJsonApi, isJsonApiPath } from './json-api';
import type { HmacKey } from './keys';
import type { LogEntry } from './request-log';
import { EmulatorState } from './state';
import type { ObjectMetadataInput } from './store';
import { flavourOf, isS3Flavour } from './providers';
import type { BucketFlavour, S3BucketSpec, S3Provider } from './providers';
import { handleS3Api } from './s3-api';
import { computeChecksum } from './s3-checksums';
import { xmlEtag } from './store';
import type { CreateBucketOptions, WrittenChecksum } from './store';
import { addressOf, handleXmlApi } from './xml-api';
import { urlHost } from '../../src/node/url-host';

export interface EmulatorOptions {
  /** 0 = ephemeral. Default 4443. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** GCS buckets that exist at start (private). */
  buckets?: string[];
  /**
   * S3-flavoured buckets that exist at start (private unless `public`): each answers the S3 XML API
   * with its provider's semantics. `{ name: 'files-b2', provider: 'b2', region: 'us-east-005' }`.
   */
  s3Buckets?: S3BucketSpec[];
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
  /** A GCS bucket, or an S3-flavoured one when `provider` is given (see S3BucketSpec). */
  createBucket(bucket: string, options?: CreateBucketInput): void;
  removeBucket(bucket: string): boolean;
  /** `checksumAlgorithm`: as if an S3 client had sent that `x-amz-checksum-*` with the write. */
  putObject(bucket: string, object: string, data: string | Uint8Array, metadata?: PutObjectInput): { generation: string; etag: string };
  removeObject(bucket: string, object: string): boolean;
  setClockOffset(offsetMs: number): void;
  /** Clears faults, clock offset and log; restores the keys given at start. */
  reset(): void;
}

export type PutObjectInput = ObjectMetadataInput & { checksumAlgorithm?: WrittenChecksum['algorithm'] };

export type CreateBucketInput = { public?: boolean } & Partial<Omit<S3BucketSpec, 'name' | 'public'>>;

function createOptions(input: CreateBucketInput): CreateBucketOptions {
  const options: CreateBucketOptions = {};
  if (input.public !== undefined) options.publicRead = input.public;
  if (input.provider !== undefined) options.flavour = flavourOf({ ...input, provider: input.provider });
  return options;
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
  const s3Flavour = s3FlavourFor(req, target, state, virtualBucket);
  if (s3Flavour) return handleS3Api(req, res, target, state, virtualBucket, s3Flavour);
  handleXmlApi(req, res, target, state, virtualBucket);
}

/**
 * An S3-flavoured bucket answers with its own semantics; a bucket that does not exist is answered
 * S3-style when the Host is an S3-compatible endpoint or the request is a PUT (so an SDK gets
 * NoSuchBucket, not GCS's 405).
 */
function s3FlavourFor(req: IncomingMessage, target: RequestTarget, state: EmulatorState, virtualBucket: string | null): (BucketFlavour & { provider: S3Provider }) | null {
  let bucketName: string;
  try {
    bucketName = addressOf(target.rawPath, virtualBucket).bucket;
  } catch {
    return null;
  }
  const bucket = state.store.bucket(bucketName);
  if (bucket) return isS3Flavour(bucket.flavour) ? bucket.flavour : null;
  // GCS's XML API here serves reads only, so a PUT to an unknown bucket can only be an S3 client.
  return isS3Host(req.headers.host) || req.method === 'PUT' ? { provider: 's3' } : null;
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
  for (const spec of options.s3Buckets ?? []) state.store.createBucket(spec.name, createOptions(spec));

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
  const shownHost = urlHost(host);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
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
      state.store.createBucket(bucket, createOptions(bucketOptions));
    },
    removeBucket: (bucket) => state.store.removeBucket(bucket),
    putObject: (bucket, object, data, metadata = {}) => {
      if (!state.store.bucket(bucket)) state.store.createBucket(bucket);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      const { checksumAlgorithm, ...input } = metadata;
      if (checksumAlgorithm) input.writtenChecksum = { algorithm: checksumAlgorithm, value: computeChecksum(checksumAlgorithm, bytes) };
      const stored = state.store.putObject(bucket, object, bytes, input);
      return { generation: String(stored.generation), etag: xmlEtag(stored) };
    },
    removeObject: (bucket, object) => state.store.removeObject(bucket, object),
    setClockOffset: (offsetMs) => {
      state.clockOffsetMs = offsetMs;
    },
    reset: () => state.reset(),
  };
}
