/** fastly_async_io: select and is_ready over bodies, pending requests and cache lookups. */
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

const TIMED_OUT = 0xffffffff;

/** Whether an async item is ready; undefined for a handle that is not an async item. */
export function readiness(session: Session, handle: number): (() => boolean) | undefined {
  const entry = session.handles.any(handle);
  switch (entry?.kind) {
    case 'body':
      return () => entry.body.isReady();
    case 'pending':
      return () => entry.pending.state !== 'waiting';
    case 'cache':
    case 'cache-busy':
      return () => entry.lookup.result !== null;
    default:
      return undefined;
  }
}

export function asyncIoModule(session: Session): AbiModule {
  const { memory } = session;
  return {
    select(handlesPtr: number, count: number, timeoutMs: number, readyOut: number) {
      if (count === 0 && timeoutMs === 0) return Status.inval;
      const checks: (() => boolean)[] = [];
      let onlyCache = count > 0 && timeoutMs === 0;
      for (let i = 0; i < count >>> 0; i += 1) {
        const handle = memory.readU32(handlesPtr + i * 4);
        const check = readiness(session, handle);
        if (check === undefined) return Status.badf;
        checks.push(check);
        const kind = session.handles.any(handle)?.kind;
        onlyCache &&= kind === 'cache' || kind === 'cache-busy';
      }
      // Timeout 0 means no timeout; otherwise never wake before it (the guest would re-select forever).
      const deadline = timeoutMs === 0 ? null : performance.now() + (timeoutMs >>> 0);
      let ready = -1;
      session.waitUntil(() => {
        ready = checks.findIndex((check) => check());
        return ready >= 0;
      }, deadline, onlyCache ? 'cache' : 'io');
      memory.u32(readyOut, ready >= 0 ? ready : TIMED_OUT);
      return Status.ok;
    },
    is_ready(handle: number, out: number) {
      const check = readiness(session, handle);
      if (check === undefined) return Status.badf;
      session.channel.drain();
      memory.u32(out, check() ? 1 : 0);
      return Status.ok;
    },
  };
}
