/** Everything an emulator instance holds, shared by its APIs and its control surface. */
import type { ServerResponse } from 'node:http';
import { FaultBoard } from './faults';
import { HmacKeyRing } from './keys';
import type { HmacKey } from './keys';
import { RequestLog } from './request-log';
import type { LogEntry } from './request-log';
import { ObjectStore } from './store';

export class EmulatorState {
  readonly store: ObjectStore;
  readonly keys: HmacKeyRing;
  readonly faults = new FaultBoard();
  readonly log: RequestLog;
  /** Answers held open by a `hang` fault; released when the emulator closes. */
  readonly hung = new Set<ServerResponse>();
  clockOffsetMs = 0;

  constructor(
    private readonly realNow: () => number,
    initialKeys: readonly HmacKey[],
    onLogEntry?: (entry: LogEntry) => void,
  ) {
    this.store = new ObjectStore(() => this.now());
    this.keys = new HmacKeyRing(initialKeys);
    this.log = new RequestLog(onLogEntry);
  }

  /** The emulator's clock: real time plus the injected offset. GCS's clock, as far as clients can tell. */
  now(): number {
    return this.realNow() + this.clockOffsetMs;
  }

  realTimeIso(): string {
    return new Date(this.realNow()).toISOString();
  }

  /** Faults, clock offset and log cleared; keys back to the ones given at start. Objects stay. */
  reset(): void {
    this.faults.clear();
    this.clockOffsetMs = 0;
    this.log.clear();
    this.keys.restore();
  }
}
