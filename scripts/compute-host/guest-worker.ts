/** The main thread's handle on one guest worker: its port, its wake-up counter, its current sandbox. */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { FromGuest, ToGuest } from './protocol';

export class GuestWorker {
  readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly counter: Int32Array;
  ready = false;
  busyWith: number | null = null;
  dispatchedAt = 0;
  /** Has an instance made and waiting (the worker said `ready` since its last sandbox). */
  prepared = false;
  exited = false;
  readonly whenReady: Promise<void>;
  private readonly epoch: number;
  private markReady: () => void = () => {};

  constructor(script: URL, module: WebAssembly.Module, onMessage: (worker: GuestWorker, message: FromGuest) => void, onExit: (worker: GuestWorker, reason: string) => void) {
    const { port1, port2 } = new MessageChannel();
    this.whenReady = new Promise((resolve) => {
      this.markReady = resolve;
    });
    // [0]: bumped for every message to the worker; [1]: while the worker sleeps waiting for I/O,
    // when that sleep began (ms since `epoch`), else 0.
    const counter = new SharedArrayBuffer(8);
    this.epoch = Date.now() - 1;
    this.port = port1;
    this.counter = new Int32Array(counter);
    this.worker = new Worker(script, {
      workerData: { module, port: port2, counter, epoch: this.epoch },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.port.on('message', (message: FromGuest) => onMessage(this, message));
    this.worker.on('error', (error) => {
      this.exited = true;
      onExit(this, `worker failed: ${error.message}`);
    });
    this.worker.on('exit', (code) => {
      this.markReady();
      if (this.exited) return;
      this.exited = true;
      onExit(this, `worker exited with code ${code}`);
    });
  }

  setReady(): void {
    this.ready = true;
    this.prepared = true;
    this.markReady();
  }

  /**
   * Busy, but asleep in a hostcall waiting for I/O (a backend, a collapsed cache lookup, a timer)
   * for at least `forMs`: a short wait (a collapsed lookup about to be answered) does not count.
   */
  isBlockedFor(forMs: number): boolean {
    const since = Atomics.load(this.counter, 1);
    return this.busyWith !== null && since !== 0 && Date.now() - this.epoch - since >= forMs;
  }

  send(message: ToGuest): void {
    if (this.exited) return;
    this.port.postMessage(message);
    Atomics.add(this.counter, 0, 1);
    Atomics.notify(this.counter, 0);
  }

  /** An idle pool with no host must not keep the process running. */
  keepProcessAlive(alive: boolean): void {
    if (alive) {
      this.worker.ref();
      this.port.ref();
    } else {
      this.worker.unref();
      this.port.unref();
    }
  }

  async stop(): Promise<void> {
    this.exited = true;
    this.port.close();
    await this.worker.terminate();
  }
}
