/** What a sandbox's messages are routed to: the host that took its request (its backends, its POP cache, its log). */
import type { BackendTimeouts } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import type { CacheStore } from './cache-store';
import type { GuestRequestStats } from './protocol';

export interface SandboxHost {
  backends: ReadonlyMap<string, BackendSpec>;
  timeouts: BackendTimeouts;
  cache: CacheStore;
  deadlineMs: number;
  log: (stream: 'stdout' | 'stderr', line: string) => void;
  onStats: (stats: GuestRequestStats) => void;
  /** Unsupported hostcalls already named on this host's stderr. */
  announced: Set<string>;
}
