/** fastly_config_store, fastly_dictionary and fastly_secret_store, over the manifest's stores. */
import { utf8Bytes } from '../memory';
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

/** Config stores and dictionaries are the same thing to the guest; both count toward one limit. */
export function configStoreModule(session: Session): AbiModule {
  const { memory, handles } = session;
  return {
    open(np: number, nl: number, out: number) {
      const name = memory.string(np, nl);
      const entries = session.job.configStores[name];
      if (entries === undefined) return Status.badf;
      memory.u32(out, handles.add({ kind: 'config-store', name, entries }));
      return Status.ok;
    },
    get(h: number, kp: number, kl: number, buf: number, max: number, nwOut: number) {
      const store = handles.get(h, 'config-store');
      if (store === undefined) return Status.badf;
      const key = memory.string(kp, kl);
      const value = Object.hasOwn(store.entries, key) ? utf8Bytes(store.entries[key]) : null;
      // A retry after `buflen` is the same lookup, so only answered lookups count.
      if (value !== null && value.byteLength > max >>> 0) {
        memory.u32(nwOut, value.byteLength);
        return Status.buflen;
      }
      const { limits } = session.job;
      if (session.configLookups >= limits.configLookups) {
        session.log('stderr', `compute-host: config lookup ${session.configLookups + 1} (${store.name}/${key}) refused: Compute allows ${limits.configLookups} per request (limitexceeded)`);
        return Status.limitexceeded;
      }
      session.configLookups += 1;
      if (value === null) return Status.none;
      memory.write(buf, value);
      memory.u32(nwOut, value.byteLength);
      return Status.ok;
    },
  };
}

export function secretStoreModule(session: Session): AbiModule {
  const { memory, handles } = session;
  return {
    open(np: number, nl: number, out: number) {
      const name = memory.string(np, nl);
      const entries = session.job.secretStores[name];
      if (entries === undefined) return Status.none;
      memory.u32(out, handles.add({ kind: 'secret-store', name, entries }));
      return Status.ok;
    },
    get(h: number, kp: number, kl: number, out: number) {
      const store = handles.get(h, 'secret-store');
      if (store === undefined) return Status.badf;
      const key = memory.string(kp, kl);
      if (!Object.hasOwn(store.entries, key)) return Status.none;
      memory.u32(out, handles.add({ kind: 'secret', value: utf8Bytes(store.entries[key]) }));
      return Status.ok;
    },
    plaintext(h: number, buf: number, max: number, nwOut: number) {
      const secret = handles.get(h, 'secret');
      if (secret === undefined) return Status.badf;
      return memory.writeBounded(buf, max, secret.value, nwOut) ? Status.ok : Status.buflen;
    },
    from_bytes(ptr: number, len: number, out: number) {
      memory.u32(out, handles.add({ kind: 'secret', value: memory.bytes(ptr, len) }));
      return Status.ok;
    },
  };
}
