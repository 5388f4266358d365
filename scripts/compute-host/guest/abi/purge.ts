/**
 * fastly_purge: purging this host's cache (one POP) by surrogate key, as SimpleCache.purge does
 * (Viceroy's fastly_purge_impl.rs). The purge message reaches the main thread before any later
 * lookup of the same sandbox, so the guest never sees what it purged.
 */
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

const SOFT_PURGE = 1 << 0;

export function purgeModule(session: Session): AbiModule {
  return {
    purge_surrogate_key(kp: number, kl: number, mask: number, _options: number) {
      if ((mask & ~SOFT_PURGE) !== 0) {
        session.unsupported('fastly_purge::purge_surrogate_key(options)', 'purge options other than a soft purge are not implemented, answered "unsupported"');
        return Status.unsupported;
      }
      const surrogateKey = session.memory.string(kp, kl);
      if (surrogateKey === '') return Status.inval;
      session.channel.post({ type: 'cache-purge', jobId: session.job.id, surrogateKey, soft: (mask & SOFT_PURGE) !== 0 });
      return Status.ok;
    },
  };
}
