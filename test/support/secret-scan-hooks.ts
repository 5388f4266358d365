/**
 * Where the secret scanner looks: every Response body and header a test process reads, every HTTP
 * response an in-process server writes (the Node host, the emulator, test origins), every
 * stdout/stderr write and console call. Sightings are recorded (and a body read throws); the setup
 * file fails the test that produced them.
 */
import http from 'node:http';
import type { ServerResponse } from 'node:http';
import { format, inspect } from 'node:util';
import { findSecrets, noteSightings, recordSightings, scanState, SecretLeakError } from './secret-scan';
import type { ScanContext } from './secret-scan';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;
const HOOKED = Symbol.for('edge-canary.secret-scan.hooked');
/** Chunks are scanned with the tail of the previous one, so a credential split across writes is still seen. */
const CARRY_CHARS = 512;
const EMULATOR_CONTROL = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]*)?\/_emulator(?:[/?]|$)/i;

type Hookable = { [HOOKED]?: true };

/** Prototype hooks once per process; the console again for each file, since vitest gives each file its own. */
export function installSecretScanHooks(): void {
  const state = scanState();
  if (!state.installed) {
    hookResponseBodies();
    hookResponseHeaders();
    hookServerResponses();
    hookStream(process.stdout, 'process.stdout.write');
    hookStream(process.stderr, 'process.stderr.write');
    state.installed = true;
  }
  hookConsole();
}

function contextForUrl(url: string | undefined): ScanContext {
  return { accessIdsAllowed: url !== undefined && EMULATOR_CONTROL.test(pathOf(url)) };
}

function pathOf(url: string): string {
  if (url.startsWith('/')) return url;
  return URL.canParse(url) ? new URL(url).pathname : url;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function chunkText(chunk: unknown, encoding?: unknown): string {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  if (typeof encoding === 'string' && chunk !== null && chunk !== undefined) return String(chunk);
  return '';
}

function hookResponseBodies(): void {
  const proto = Response.prototype;
  const text = proto.text;
  const arrayBuffer = proto.arrayBuffer;
  const blob = proto.blob;
  const scan = (response: Response, body: string) => {
    const hits = noteSightings(body, `response body ${shorten(response.url || '(constructed Response)')}`, contextForUrl(response.url));
    if (hits.length > 0) throw new SecretLeakError(hits);
  };
  proto.text = async function scannedText(this: Response) {
    const body = await text.call(this);
    scan(this, body);
    return body;
  };
  proto.json = async function scannedJson(this: Response) {
    const body = await text.call(this);
    scan(this, body);
    return JSON.parse(body) as unknown;
  };
  proto.arrayBuffer = async function scannedArrayBuffer(this: Response) {
    const body = await arrayBuffer.call(this);
    scan(this, Buffer.from(body).toString('latin1'));
    return body;
  };
  proto.blob = async function scannedBlob(this: Response) {
    const body = await blob.call(this);
    scan(this, Buffer.from(await body.arrayBuffer()).toString('latin1'));
    return body;
  };
  // Response.bytes() exists only in newer runtimes.
  const withBytes = proto as unknown as { bytes?: (this: Response) => Promise<Uint8Array<ArrayBuffer>> };
  const bytes = withBytes.bytes;
  if (typeof bytes === 'function') {
    withBytes.bytes = async function scannedBytes(this: Response) {
      const body = await bytes.call(this);
      scan(this, Buffer.from(body).toString('latin1'));
      return body;
    };
  }
}

/** Every header of a Response is scanned the first time anything looks at its headers. */
function hookResponseHeaders(): void {
  const descriptor = Object.getOwnPropertyDescriptor(Response.prototype, 'headers');
  const getter = descriptor?.get;
  if (!descriptor || !getter) throw new Error('secret scan: Response.prototype.headers is not a getter in this runtime');
  const scanned = new WeakSet<Response>();
  Object.defineProperty(Response.prototype, 'headers', {
    ...descriptor,
    get(this: Response) {
      const headers = getter.call(this) as Headers;
      if (!scanned.has(this)) {
        scanned.add(this);
        const lines = [...headers].map(([name, value]) => `${name}: ${value}`).join('\n');
        noteSightings(lines, `response headers ${shorten(this.url || '(constructed Response)')}`, contextForUrl(this.url));
      }
      return headers;
    },
  });
}

function hookServerResponses(): void {
  const proto = http.ServerResponse.prototype;
  const carried = new WeakMap<ServerResponse, string>();
  const reported = new WeakMap<ServerResponse, Set<string>>();
  const scan = (response: ServerResponse, text: string, part: string) => {
    const url = response.req?.url;
    const seen = reported.get(response) ?? new Set<string>();
    reported.set(response, seen);
    // The carried tail is scanned twice; one sighting per credential and response is enough.
    const found = findSecrets(text, contextForUrl(url)).filter((credential) => !seen.has(credential.label));
    for (const credential of found) seen.add(credential.label);
    recordSightings(found, `server ${part} ${response.req?.method ?? '?'} ${shorten(url ?? '?')}`);
  };
  const scanBody = (response: ServerResponse, chunk: unknown, encoding: unknown) => {
    const text = (carried.get(response) ?? '') + chunkText(chunk, encoding);
    carried.set(response, text.slice(-CARRY_CHARS));
    scan(response, text, 'response body');
  };

  const { writeHead, setHeader, write, end } = proto;
  proto.writeHead = function scannedWriteHead(this: ServerResponse, ...args: unknown[]) {
    scan(this, args.slice(1).map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '), 'response headers');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof proto.writeHead;
  proto.setHeader = function scannedSetHeader(this: ServerResponse, name: string, value: number | string | readonly string[]) {
    scan(this, `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`, 'response headers');
    return setHeader.call(this, name, value);
  };
  proto.write = function scannedWrite(this: ServerResponse, ...args: unknown[]) {
    scanBody(this, args[0], args[1]);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof proto.write;
  proto.end = function scannedEnd(this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') scanBody(this, args[0], args[1]);
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof proto.end;
}

function hookStream(stream: NodeJS.WriteStream, channel: string): void {
  const write = stream.write;
  stream.write = function scannedWrite(this: NodeJS.WriteStream, ...args: unknown[]) {
    noteSightings(chunkText(args[0], args[1]), channel);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof stream.write;
}

function hookConsole(): void {
  const target = console as unknown as Record<string, unknown>;
  for (const method of CONSOLE_METHODS) {
    const original = target[method];
    if (typeof original !== 'function' || (original as Hookable)[HOOKED]) continue;
    const hooked = function scannedConsole(this: unknown, ...args: unknown[]) {
      const text = method === 'dir' ? inspect(args[0], { depth: 10 }) : format(...args);
      noteSightings(text, `console.${method}`);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as Hookable & ((...args: unknown[]) => unknown);
    hooked[HOOKED] = true;
    target[method] = hooked;
  }
}
