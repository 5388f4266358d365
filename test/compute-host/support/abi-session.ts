/**
 * A sandbox's hostcalls without a sandbox: a Session over a plain WebAssembly.Memory, so tests
 * can call the ABI the way the guest does (pointers in, statuses and out-values back) and play
 * the main thread's part by posting events.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { asyncIoModule } from '../../../scripts/compute-host/guest/abi/async-io';
import { bodyModule } from '../../../scripts/compute-host/guest/abi/body';
import { cacheModule } from '../../../scripts/compute-host/guest/abi/cache';
import type { AbiModule } from '../../../scripts/compute-host/guest/abi/hostcall';
import { reqModule } from '../../../scripts/compute-host/guest/abi/req';
import { respModule } from '../../../scripts/compute-host/guest/abi/resp';
import { configStoreModule } from '../../../scripts/compute-host/guest/abi/stores';
import { GuestChannel } from '../../../scripts/compute-host/guest/channel';
import { GuestMemory } from '../../../scripts/compute-host/guest/memory';
import { Session } from '../../../scripts/compute-host/guest/session';
import type { FromGuest, Job, ToGuest } from '../../../scripts/compute-host/protocol';

export type Call = (...args: (number | bigint)[]) => number;

export interface AbiHarness {
  session: Session;
  req: Record<string, Call>;
  resp: Record<string, Call>;
  body: Record<string, Call>;
  asyncIo: Record<string, Call>;
  config: Record<string, Call>;
  cache: Record<string, Call>;
  /** Plays the main thread: queues an event for the sandbox and wakes it. */
  deliver(message: ToGuest): void;
  /** What the sandbox sent to the main thread so far. */
  sent(): FromGuest[];
  /** Writes bytes at a fresh scratch address and returns [ptr, len]. */
  put(data: string | Uint8Array): [number, number];
  alloc(size: number): number;
  u32(ptr: number): number;
  i64(ptr: number): bigint;
  bytes(ptr: number, len: number): Uint8Array;
  text(ptr: number, len: number): string;
  close(): void;
}

export function testJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 1,
    request: { method: 'GET', url: 'http://canary.test/path?q=1', headers: [], body: new Uint8Array(0), clientAddress: '127.0.0.1', serverAddress: '127.0.0.1' },
    env: {},
    clockOffsetMs: 0,
    limits: { backendRequests: 32, configLookups: 32 },
    traceId: '0'.repeat(32),
    backends: [{ name: 'origin', host: '127.0.0.1', port: 9, ssl: false, overrideHost: null, connectTimeoutMs: 1000, firstByteTimeoutMs: 5000, betweenBytesTimeoutMs: 5000 }],
    timeouts: { connectMs: 1000, firstByteMs: 5000, betweenBytesMs: 5000 },
    shieldingSites: {},
    configStores: {},
    secretStores: {},
    hostcallFaults: {},
    ...overrides,
  };
}

const asCalls = (module: AbiModule) => module as unknown as Record<string, Call>;

export function abiHarness(job: Job = testJob()): AbiHarness {
  const wasmMemory = new WebAssembly.Memory({ initial: 4 });
  const memory = new GuestMemory();
  memory.attach(wasmMemory);
  const { port1: mainSide, port2: guestSide } = new MessageChannel();
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const channel = new GuestChannel(guestSide, counter, Date.now());
  const session = new Session(memory, channel, () => {});
  session.job = job;
  channel.onMessage((message) => session.receive(message));
  const sent: FromGuest[] = [];
  let next = 1024;
  const alloc = (size: number) => {
    const ptr = next;
    next += Math.ceil((size + 8) / 8) * 8;
    return ptr;
  };
  const view = () => new DataView(wasmMemory.buffer);
  return {
    session,
    req: asCalls(reqModule(session)),
    resp: asCalls(respModule(session)),
    body: asCalls(bodyModule(session)),
    asyncIo: asCalls(asyncIoModule(session)),
    config: asCalls(configStoreModule(session)),
    cache: asCalls(cacheModule(session)),
    deliver(message) {
      mainSide.postMessage(message);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    },
    sent() {
      drain(mainSide, sent);
      return sent;
    },
    put(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const ptr = alloc(bytes.byteLength);
      new Uint8Array(wasmMemory.buffer, ptr, bytes.byteLength).set(bytes);
      return [ptr, bytes.byteLength];
    },
    alloc,
    u32: (ptr) => view().getUint32(ptr, true),
    i64: (ptr) => view().getBigInt64(ptr, true),
    bytes: (ptr, len) => new Uint8Array(wasmMemory.buffer, ptr, len).slice(),
    text: (ptr, len) => new TextDecoder().decode(new Uint8Array(wasmMemory.buffer, ptr, len)),
    close() {
      mainSide.close();
      guestSide.close();
    },
  };
}

function drain(port: MessagePort, into: FromGuest[]): void {
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received === undefined) return;
    into.push(received.message as FromGuest);
  }
}
