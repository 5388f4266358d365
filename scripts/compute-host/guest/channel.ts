/**
 * The worker's side of the link to the main thread. Hostcalls are synchronous, so instead of an
 * event loop the worker drains its port with receiveMessageOnPort and sleeps in Atomics.wait on a
 * counter the main thread bumps after each message. Time spent asleep is counted as blocked, which
 * is what separates guest execution time from time waiting for I/O.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { FromGuest, ToGuest } from '../protocol';

/** `io`: a backend or a timer; `cache`: a collapsed cache lookup (short); `idle`: no sandbox running. */
export type WaitKind = 'io' | 'cache' | 'idle';

/** A collapsed cache lookup counts as stalled this much later than a backend wait (so after about half a second). */
const CACHE_STALL_GRACE_MS = 450;

export class GuestChannel {
  blockedMs = 0;
  private handler: (message: ToGuest) => void = () => {};

  constructor(
    private readonly port: MessagePort,
    private readonly counter: Int32Array,
    /** The main thread's reference time for counter[1] (see GuestWorker.isBlockedFor). */
    private readonly epoch: number,
  ) {}

  onMessage(handler: (message: ToGuest) => void): void {
    this.handler = handler;
  }

  post(message: FromGuest): void {
    this.port.postMessage(message);
  }

  /** Dispatches every message already queued, without waiting. */
  drain(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received === undefined) return;
      this.handler(received.message as ToGuest);
    }
  }

  /**
   * Dispatches messages until `done()` holds or the deadline (performance.now() ms) passes;
   * null waits without a deadline (the main thread enforces the sandbox's own deadline). An idle
   * worker waiting for its next job is not blocked: that wait is neither guest time nor I/O.
   * Never returns early: a guest that wakes before its deadline re-selects forever.
   */
  waitUntil(done: () => boolean, deadline: number | null, kind: WaitKind = 'io'): boolean {
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      this.drain();
      if (done()) return true;
      const now = performance.now();
      if (deadline !== null && now >= deadline) return false;
      const timeout = deadline === null ? undefined : Math.max(1, Math.ceil(deadline - now));
      const asleep = performance.now();
      // Network and timer waits mark the worker stalled (the pool grows for those, see pool.ts), and so
      // does a collapsed cache lookup that lasts: its leader may itself wait for requests still queued
      // (a fleet check for its shields). Short ones must not: growing during a flood costs CPU.
      if (kind !== 'idle') Atomics.store(this.counter, 1, Date.now() - this.epoch + (kind === 'cache' ? CACHE_STALL_GRACE_MS : 0));
      Atomics.wait(this.counter, 0, seen, timeout);
      if (kind === 'idle') continue;
      Atomics.store(this.counter, 1, 0);
      this.blockedMs += performance.now() - asleep;
    }
  }

  /** Sleeps for a guest timer (WASI poll_oneoff), still dispatching I/O that arrives meanwhile. */
  sleep(ms: number): void {
    const deadline = performance.now() + ms;
    this.waitUntil(() => false, deadline);
  }
}
