/**
 * fastly_http_cache: this host has no HTTP cache. The guest asks whether a request is cacheable
 * before using it; answering "no" sends it straight to the backend, which is what a Compute
 * request with a pass override does. Everything else in the module is unsupported.
 */
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

export function httpCacheModule(session: Session): AbiModule {
  return {
    is_request_cacheable(h: number, out: number) {
      if (session.handles.get(h, 'request') === undefined) return Status.badf;
      session.unsupported('fastly_http_cache', 'no HTTP cache: every request is treated as not cacheable and goes to its backend');
      session.memory.u32(out, 0);
      return Status.ok;
    },
  };
}
