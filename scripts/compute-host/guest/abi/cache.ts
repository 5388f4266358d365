/**
 * fastly_cache, the core cache API (Viceroy's cache.rs). The cache itself lives in the main
 * thread, shared by every sandbox like a POP's cache, with request collapsing: a transactional
 * lookup that finds another sandbox inserting the same key waits for that insertion.
 */
import type { CacheWrite } from '../../protocol';
import { Body, concat } from '../body';
import type { GuestMemory } from '../memory';
import type { CacheLookup, Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

const STATE_FOUND = 1;
const STATE_USABLE = 2;
const STATE_MUST_INSERT_OR_UPDATE = 8;
const WRITE_INITIAL_AGE = 1 << 3;
const WRITE_STALE_WHILE_REVALIDATE = 1 << 4;
const WRITE_SURROGATE_KEYS = 1 << 5;
const WRITE_USER_METADATA = 1 << 7;
const BODY_FROM = 1 << 1;
const BODY_TO = 1 << 2;

export function cacheModule(session: Session): AbiModule {
  const { memory, handles } = session;

  const startLookup = (kp: number, kl: number, transactional: boolean): CacheLookup => {
    const key = Buffer.from(memory.bytes(kp, kl)).toString('base64');
    const lookup: CacheLookup = { id: session.newId(), key, result: null, insertion: null, write: null };
    session.lookups.set(lookup.id, lookup);
    session.channel.post({ type: 'cache-lookup', jobId: session.job.id, lookupId: lookup.id, key, transactional });
    return lookup;
  };
  const resolved = (h: number): CacheLookup | undefined => {
    const entry = handles.get(h, 'cache');
    if (entry === undefined) return undefined;
    const { lookup } = entry;
    session.waitUntil(() => lookup.result !== null, null, 'cache');
    return lookup;
  };
  const mustInsert = (lookup: CacheLookup) => lookup.result?.mustInsert === true && lookup.insertion === null;
  const insertionBody = (lookup: CacheLookup | null, key: string, write: Omit<CacheWrite, 'body'>): Body => {
    const body = Body.sink({
      write: () => {},
      finish: (complete) => {
        if (complete) session.channel.post({ type: 'cache-insert', jobId: session.job.id, lookupId: lookup?.id ?? null, key, write: { ...write, body: concat(body.written) } });
        else if (lookup !== null) session.channel.post({ type: 'cache-release', jobId: session.job.id, lookupId: lookup.id });
      },
    });
    if (lookup !== null) lookup.insertion = body;
    return body;
  };
  const u64Fact = (fact: (lookup: CacheLookup) => bigint | null) => (h: number, out: number) => {
    const lookup = resolved(h);
    if (lookup === undefined) return Status.badf;
    const value = fact(lookup);
    if (value === null) return Status.none;
    memory.u64(out, value);
    return Status.ok;
  };

  return {
    lookup(kp: number, kl: number, _mask: number, _options: number, out: number) {
      memory.u32(out, handles.add({ kind: 'cache', lookup: startLookup(kp, kl, false) }));
      return Status.ok;
    },
    transaction_lookup(kp: number, kl: number, _mask: number, _options: number, out: number) {
      memory.u32(out, handles.add({ kind: 'cache', lookup: startLookup(kp, kl, true) }));
      return Status.ok;
    },
    transaction_lookup_async(kp: number, kl: number, _mask: number, _options: number, out: number) {
      memory.u32(out, handles.add({ kind: 'cache-busy', lookup: startLookup(kp, kl, true) }));
      return Status.ok;
    },
    cache_busy_handle_wait(h: number, out: number) {
      const busy = handles.get(h, 'cache-busy');
      if (busy === undefined) return Status.badf;
      session.waitUntil(() => busy.lookup.result !== null, null, 'cache');
      handles.delete(h);
      memory.u32(out, handles.add({ kind: 'cache', lookup: busy.lookup }));
      return Status.ok;
    },
    close_busy(h: number) {
      const busy = handles.get(h, 'cache-busy');
      if (busy === undefined) return Status.badf;
      release(busy.lookup);
      handles.delete(h);
      return Status.ok;
    },
    get_state(h: number, out: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      const found = lookup.result?.entry != null || lookup.insertion !== null;
      const state = (found ? STATE_FOUND | STATE_USABLE : 0) | (mustInsert(lookup) ? STATE_MUST_INSERT_OR_UPDATE : 0);
      // The guest's out-pointer is a single (4-aligned) byte: writing the u32 would clobber its stack.
      memory.u8(out, state);
      return Status.ok;
    },
    insert(kp: number, kl: number, mask: number, options: number, bodyOut: number) {
      const key = Buffer.from(memory.bytes(kp, kl)).toString('base64');
      memory.u32(bodyOut, handles.add({ kind: 'body', body: insertionBody(null, key, readWriteOptions(memory, mask, options)) }));
      return Status.ok;
    },
    transaction_insert(h: number, mask: number, options: number, bodyOut: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      if (!mustInsert(lookup)) return Status.badf;
      memory.u32(bodyOut, handles.add({ kind: 'body', body: insertionBody(lookup, lookup.key, readWriteOptions(memory, mask, options)) }));
      return Status.ok;
    },
    transaction_insert_and_stream_back(h: number, mask: number, options: number, bodyOut: number, cacheOut: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      if (!mustInsert(lookup)) return Status.badf;
      const write = readWriteOptions(memory, mask, options);
      const body = insertionBody(lookup, lookup.key, write);
      const streamBack: CacheLookup = {
        id: session.newId(),
        key: lookup.key,
        result: { entry: { body: new Uint8Array(0), userMetadata: write.userMetadata, maxAgeNs: write.maxAgeNs, staleWhileRevalidateNs: write.staleWhileRevalidateNs, ageNs: write.initialAgeNs, hits: 0n }, mustInsert: false },
        insertion: body,
        write,
      };
      memory.u32(bodyOut, handles.add({ kind: 'body', body }));
      memory.u32(cacheOut, handles.add({ kind: 'cache', lookup: streamBack }));
      return Status.ok;
    },
    transaction_cancel(h: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      release(lookup);
      return Status.ok;
    },
    close(h: number) {
      const entry = handles.get(h, 'cache');
      if (entry === undefined) return Status.badf;
      release(entry.lookup);
      handles.delete(h);
      return Status.ok;
    },
    get_body(h: number, mask: number, options: number, out: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      if (lookup.insertion !== null) {
        memory.u32(out, handles.add({ kind: 'body', body: Body.readback(lookup.insertion) }));
        return Status.ok;
      }
      const entry = lookup.result?.entry;
      if (entry == null) return Status.none;
      const from = mask & BODY_FROM ? Number(memory.readU64(options)) : 0;
      const to = mask & BODY_TO ? Number(memory.readU64(options + 8)) + 1 : entry.body.byteLength;
      memory.u32(out, handles.add({ kind: 'body', body: Body.local(entry.body.slice(from, to)) }));
      return Status.ok;
    },
    get_user_metadata(h: number, buf: number, max: number, nwOut: number) {
      const lookup = resolved(h);
      if (lookup === undefined) return Status.badf;
      const entry = lookup.result?.entry;
      if (entry == null) return Status.none;
      return memory.writeBounded(buf, max, entry.userMetadata, nwOut) ? Status.ok : Status.buflen;
    },
    get_length: u64Fact((lookup) => (lookup.result?.entry == null || lookup.insertion !== null ? null : BigInt(lookup.result.entry.body.byteLength))),
    get_max_age_ns: u64Fact((lookup) => lookup.result?.entry?.maxAgeNs ?? null),
    get_stale_while_revalidate_ns: u64Fact((lookup) => lookup.result?.entry?.staleWhileRevalidateNs ?? null),
    get_age_ns: u64Fact((lookup) => lookup.result?.entry?.ageNs ?? null),
    get_hits: u64Fact((lookup) => lookup.result?.entry?.hits ?? null),
  };

  /** Gives up an obligation to insert, so the next collapsed lookup inherits it. */
  function release(lookup: CacheLookup): void {
    if (lookup.result?.mustInsert !== true || lookup.insertion !== null) return;
    lookup.result = { ...lookup.result, mustInsert: false };
    session.channel.post({ type: 'cache-release', jobId: session.job.id, lookupId: lookup.id });
  }
}

/** cache_write_options as js-compute lays it out: max_age_ns is always there, the rest by mask. */
function readWriteOptions(memory: GuestMemory, mask: number, ptr: number): Omit<CacheWrite, 'body'> {
  const metadataPtr = memory.readU32(ptr + 56);
  const metadataLen = memory.readU32(ptr + 60);
  const surrogateKeys = mask & WRITE_SURROGATE_KEYS ? memory.string(memory.readU32(ptr + 40), memory.readU32(ptr + 44)) : '';
  return {
    maxAgeNs: memory.readU64(ptr),
    surrogateKeys: surrogateKeys.split(' ').filter((key) => key !== ''),
    initialAgeNs: mask & WRITE_INITIAL_AGE ? memory.readU64(ptr + 24) : 0n,
    staleWhileRevalidateNs: mask & WRITE_STALE_WHILE_REVALIDATE ? memory.readU64(ptr + 32) : 0n,
    userMetadata: mask & WRITE_USER_METADATA ? memory.bytes(metadataPtr, metadataLen) : new Uint8Array(0),
  };
}
