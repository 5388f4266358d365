/** fastly_compute_runtime: the guest's own CPU time and heap, as this host measures them. */
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

export function runtimeModule(session: Session, guestMs: () => number): AbiModule {
  const { memory } = session;
  return {
    get_vcpu_ms(out: number) {
      memory.u64(out, BigInt(Math.floor(guestMs())));
      return Status.ok;
    },
    get_heap_mib(out: number) {
      memory.u32(out, Math.ceil(memory.byteLength() / (1024 * 1024)));
      return Status.ok;
    },
  };
}
