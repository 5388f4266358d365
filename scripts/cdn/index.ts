/** The local "production CDN" for tests and the demo: caching, signing, canary rule, fallback. */
export { startCdn } from './server';
export type { RunningCdn } from './server';
export type { CdnStats } from './handler';
export { CdnConfigError, DEFAULT_TTL_SECONDS, resolveCdnOptions } from './options';
export type { CachePolicy, CdnLogEntry, CdnOptions, OriginSpec, ResolvedCdnOptions } from './options';
export { decideStorage, ResponseCache } from './cache';
export type { CacheHit, OriginReply, StoreDecision } from './cache';
