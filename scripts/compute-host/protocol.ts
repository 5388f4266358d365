/**
 * Messages between the main thread (network I/O, the shared cache) and a guest worker. The
 * worker blocks in hostcalls, so everything it is sent arrives on one MessagePort that it drains
 * synchronously, woken by a counter in a SharedArrayBuffer (see guest/channel.ts).
 */

import type { ShieldingSites } from '../../src/node/shielding-sites';

export type HeaderPairs = [name: string, value: Uint8Array][];

export interface DownstreamRequest {
  method: string;
  /** Absolute URL rebuilt from the Host header, as Viceroy does. */
  url: string;
  headers: HeaderPairs;
  body: Uint8Array;
  clientAddress: string;
  serverAddress: string;
}

export interface GuestLimits {
  backendRequests: number;
  configLookups: number;
}

export interface Job {
  id: number;
  request: DownstreamRequest;
  env: Record<string, string>;
  /** Added to the real clock for WASI's realtime clock (the host's `now` option). */
  clockOffsetMs: number;
  limits: GuestLimits;
  /** Viceroy's FASTLY_TRACE_ID and request id: unique per sandbox. */
  traceId: string;
  backends: BackendInfo[];
  /** The host's backend timeouts, for the backends a sandbox makes itself (shield backends). */
  timeouts: { connectMs: number; firstByteMs: number; betweenBytesMs: number };
  /** `[local_server.shielding_sites]`: what `fastly_shielding` answers. */
  shieldingSites: ShieldingSites;
  configStores: Record<string, Record<string, string>>;
  /** Secret values resolved for this request (env secrets are read per request, like Viceroy). */
  secretStores: Record<string, Record<string, string>>;
  /** Hostcalls (`module::name`) forced to answer a status, to test how the guest copes. */
  hostcallFaults: Record<string, number>;
}

export interface BackendInfo {
  name: string;
  host: string;
  port: number;
  ssl: boolean;
  overrideHost: string | null;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  betweenBytesTimeoutMs: number;
}

/**
 * A backend the sandbox registered itself: `fastly_shielding::backend_for_shield` makes one per
 * shield URL, as Viceroy does (named `******<url>*****`, no override host). A timeout is null
 * when the guest did not set it in the option mask: Viceroy then has none.
 */
export interface DynamicBackend {
  name: string;
  url: string;
  firstByteTimeoutMs: number | null;
  betweenBytesTimeoutMs: number | null;
}

/** send_error_detail tags (compute-at-edge.witx) the host can tell apart. */
export type SendErrorTag =
  | 'destination_not_found'
  | 'connection_refused'
  | 'connection_terminated'
  | 'connection_timeout'
  | 'dns_error'
  | 'tls_certificate_error'
  | 'http_incomplete_response'
  | 'http_response_timeout'
  | 'internal_error';

export interface CacheEntryView {
  body: Uint8Array;
  userMetadata: Uint8Array;
  maxAgeNs: bigint;
  staleWhileRevalidateNs: bigint;
  ageNs: bigint;
  hits: bigint;
}

/** What a cache lookup resolves to: an entry (or none) and whether this caller must insert. */
export interface CacheLookupResult {
  entry: CacheEntryView | null;
  mustInsert: boolean;
}

export interface CacheWrite {
  maxAgeNs: bigint;
  /** What a purge_surrogate_key can name this entry by. */
  surrogateKeys: string[];
  initialAgeNs: bigint;
  staleWhileRevalidateNs: bigint;
  userMetadata: Uint8Array;
  body: Uint8Array;
}

export type ToGuest =
  | { type: 'run'; job: Job }
  | { type: 'backend-response'; pendingId: number; status: number; headers: HeaderPairs; knownLength: number | null }
  | { type: 'backend-error'; pendingId: number; tag: SendErrorTag; message: string }
  | { type: 'body-chunk'; streamId: number; chunk: Uint8Array }
  | { type: 'body-end'; streamId: number }
  | { type: 'body-error'; streamId: number; message: string }
  | { type: 'cache-result'; lookupId: number; result: CacheLookupResult };

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Uint8Array | null;
  autoDecompressGzip: boolean;
}

export interface GuestRequestStats {
  jobId: number;
  method: string;
  path: string;
  /** Instantiating the compiled module for this request (done while the worker waited for it, when it was idle). */
  instantiateMs: number;
  /** Time in guest code: wall time of `_start` minus the time blocked waiting for I/O. */
  guestMs: number;
  /** Time blocked in hostcalls waiting for the network, the cache or timers. */
  blockedMs: number;
  /** From the start of `_start` to the sandbox's end. */
  wallMs: number;
  /** The guest's linear memory at the end (memory never shrinks, so this is its peak). */
  memoryBytes: number;
  backendRequests: number;
  outcome: SandboxOutcome;
}

export type SandboxOutcome = 'ok' | 'trap' | 'exit' | 'host-error' | 'timeout';

export type FromGuest =
  | { type: 'ready' }
  | { type: 'send'; jobId: number; pendingId: number; backend: string; dynamic: DynamicBackend | null; request: OutgoingRequest }
  | { type: 'abort-stream'; jobId: number; streamId: number }
  | { type: 'downstream'; jobId: number; status: number; headers: HeaderPairs; body: Uint8Array; streaming: boolean }
  | { type: 'downstream-chunk'; jobId: number; chunk: Uint8Array }
  | { type: 'downstream-end'; jobId: number; complete: boolean }
  | { type: 'log'; jobId: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'unsupported'; jobId: number; name: string; note: string }
  | { type: 'cache-lookup'; jobId: number; lookupId: number; key: string; transactional: boolean }
  | { type: 'cache-insert'; jobId: number; lookupId: number | null; key: string; write: CacheWrite }
  | { type: 'cache-release'; jobId: number; lookupId: number }
  | { type: 'cache-purge'; jobId: number; surrogateKey: string; soft: boolean }
  | { type: 'done'; jobId: number; outcome: SandboxOutcome; message: string | null; stats: GuestRequestStats };
