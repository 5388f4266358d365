/** What the local production CDN is configured with, its defaults, and the checks run at start. */
import type { SigningScheme, UrlStyle } from '../../src/core/sign';
import { DEFAULT_CANARY_PATH, normalizeCanaryPath } from '../../snippets/compute/edge-canary-rule';

/** A bucket the CDN reads, with the HMAC credential it signs with (its own, as in production). */
export interface OriginSpec {
  /** Where to connect, e.g. the emulator's `http://127.0.0.1:4443`. */
  url: string;
  /** The host signed and sent as Host, as production signs it (default storage.googleapis.com). */
  host?: string;
  bucket: string;
  accessId: string;
  secret: string;
  /** Default goog4. */
  signing?: SigningScheme;
  /** Default auto; SigV4 (`aws4`) on AWS S3 and B2 signs with the bucket's region (us-west-2, us-east-005). */
  region?: string;
  /** Default path; `virtual` sends and signs `bucket.host`, as AWS S3 archives are usually read. */
  urlStyle?: UrlStyle;
}

/**
 * `origin`: RFC 9111 for a shared cache: the bucket's `no-store`/`private` veto storing, its
 * `s-maxage`/`max-age` set the lifetime, `ttlSeconds` is the default when it says nothing.
 * `service-ttl`: every 200 is kept for `ttlSeconds` whatever the bucket says, like a VCL service
 * that sets `beresp.ttl` for its bucket (GCS answers `private, max-age=0` for every object of a
 * private bucket, so services in front of one override it). That override would cache the
 * canary's `no-store` too, which is why the canary rule lives in the service.
 */
export type CachePolicy = 'origin' | 'service-ttl';

export interface CdnOptions {
  origin: OriginSpec;
  /** A second bucket tried after a 403, 404 or 5xx from `origin` (like PyPI's archive bucket). */
  fallback?: OriginSpec;
  /** 0 (default) = ephemeral. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Package-file TTL; default 86400 (one day). */
  ttlSeconds?: number;
  cachePolicy?: CachePolicy;
  /** Object name of the canary; default `edge-canary/canary.json`. */
  canaryPath?: string;
  /** The production-side canary rule (pass, no fallback); default true. Off shows what goes wrong. */
  canaryRule?: boolean;
  /**
   * With the rule on, the canary path still restarts onto the fallback, as in a service whose
   * restart logic covers every path (PyPI's today): pass, but not primary-only. The canary's edge
   * check then sees `Fastly-Restarts` and reports `served_by_fallback`. Default false.
   */
  canaryRestarts?: boolean;
  /** The cache's clock in ms (tests move it to age entries); signing always uses the real time. */
  now?: () => number;
  /** One call per client request, for narration and tests. */
  onRequest?: (entry: CdnLogEntry) => void;
}

export interface CdnLogEntry {
  method: string;
  path: string;
  status: number;
  cache: 'HIT' | 'MISS' | 'PASS';
  /** Which bucket answered; null for a cache hit. */
  servedBy: 'primary' | 'fallback' | null;
  ageSeconds: number;
}

export interface ResolvedCdnOptions {
  origin: Required<OriginSpec>;
  fallback: Required<OriginSpec> | null;
  port: number;
  hostname: string;
  ttlSeconds: number;
  cachePolicy: CachePolicy;
  canaryPath: string;
  canaryRule: boolean;
  canaryRestarts: boolean;
  now: () => number;
  onRequest: (entry: CdnLogEntry) => void;
}

export class CdnConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CdnConfigError';
  }
}

export const DEFAULT_TTL_SECONDS = 86_400;

export function resolveCdnOptions(options: CdnOptions): ResolvedCdnOptions {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new CdnConfigError(`ttlSeconds must be a whole number of seconds >= 1 (got ${ttlSeconds})`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CdnConfigError(`port must be 0..65535 (got ${port})`);
  return {
    origin: resolveOrigin('origin', options.origin),
    fallback: options.fallback ? resolveOrigin('fallback', options.fallback) : null,
    port,
    hostname: options.hostname ?? '127.0.0.1',
    ttlSeconds,
    cachePolicy: options.cachePolicy ?? 'origin',
    canaryPath: normalizeCanaryPath(options.canaryPath ?? DEFAULT_CANARY_PATH),
    canaryRule: options.canaryRule ?? true,
    canaryRestarts: options.canaryRestarts ?? false,
    now: options.now ?? Date.now,
    onRequest: options.onRequest ?? (() => undefined),
  };
}

function resolveOrigin(name: string, spec: OriginSpec): Required<OriginSpec> {
  if (!URL.canParse(spec.url) || !/^https?:$/.test(new URL(spec.url).protocol)) {
    throw new CdnConfigError(`${name}.url must be an http or https URL (got ${JSON.stringify(spec.url)})`);
  }
  if (spec.bucket === '') throw new CdnConfigError(`${name}.bucket must not be empty`);
  const signing = spec.signing ?? 'goog4';
  if (signing !== 'none' && (spec.accessId === '' || spec.secret === '')) {
    throw new CdnConfigError(`${name}: an HMAC access id and secret are needed for ${signing} signing`);
  }
  return {
    url: spec.url, bucket: spec.bucket, accessId: spec.accessId, secret: spec.secret, signing,
    host: spec.host ?? 'storage.googleapis.com', region: spec.region ?? 'auto', urlStyle: spec.urlStyle ?? 'path',
  };
}
