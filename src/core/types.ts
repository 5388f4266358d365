/** Shared shapes of the core: reason codes, check results, the report, and the Platform contract. */

export const REASONS = [
  'ok',
  'auth_failed',
  'clock_skew',
  'not_found',
  'bucket_missing',
  'origin_error',
  'unexpected_status',
  'timeout',
  'connect_failed',
  'invalid_content',
  'integrity_mismatch',
  'stale',
  'future_dated',
  'served_from_cache',
  'served_by_fallback',
  'misconfigured',
] as const;
export type Reason = (typeof REASONS)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail';
export type StatuspageStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

/** The two fetch targets: the bucket itself, and the canary through the production hostname. */
export type Target = 'origin' | 'edge';

/** Backend names, as declared in fastly.toml. */
export const BACKEND_GCS = 'gcs';
export const BACKEND_EDGE = 'edge';
export type BackendName = typeof BACKEND_GCS | typeof BACKEND_EDGE;

export const CONFIG_STORE = 'canary_config';
export const SECRET_STORE = 'canary_secrets';
export const SECRET_ACCESS_ID = 'hmac_access_id';
export const SECRET_SECRET = 'hmac_secret';

export interface FetchCheck {
  target: Target;
  componentId: string;
  status: CheckStatus;
  reason: Reason;
  httpStatus: number | null;
  errorCode: string | null;
  attempts: number;
  durationMs: number;
  /** When the check started, RFC 3339. */
  time: string;
  /** One short human sentence: what was seen, with the actual value inline. */
  detail: string;
}

export interface FreshnessCheck {
  target: Target;
  status: CheckStatus;
  reason: Reason;
  ageSeconds: number | null;
  writtenAt: string | null;
  sequence: number | null;
  detail: string;
}

export interface TargetResult {
  fetch: FetchCheck;
  freshness: FreshnessCheck;
}

export interface Credential {
  /** First 4 and last 4 characters of the access id. */
  accessId: string;
  /** First 12 hex digits of HMAC-SHA256(secret, "edge-canary-fingerprint"). */
  fingerprint: string;
}

export interface Report {
  status: CheckStatus;
  reason: Reason;
  httpStatus: 200 | 503;
  statuspage: StatuspageStatus;
  output: string;
  pop: string;
  releaseId: string;
  checkedAt: string;
  shared: boolean;
  ageSeconds: number | null;
  results: TargetResult[];
  /** Present when the configuration could not be used; names the keys at fault. */
  configErrors: string[];
  credential: Credential | null;
  /** Total wall time of the deep check in ms. */
  durationMs: number;
}

/** A key-value store as the platform exposes it; `keys` only where the store can be listed. */
export interface KeyValueSource {
  get(key: string): string | null;
  keys?(): string[];
}

/** Why a backend fetch failed before any HTTP status was seen. */
export type TransportFailure = 'timeout' | 'connect_failed';

export class BackendError extends Error {
  readonly kind: TransportFailure;
  constructor(kind: TransportFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.kind = kind;
  }
}

export interface MemoResult<T> {
  value: T;
  /** True when this request reused a result computed for another request. */
  shared: boolean;
}

/**
 * Everything the core needs from its runtime. Compute implements it in src/fastly/, the Node host
 * in src/node/, tests with plain objects.
 */
export interface Platform {
  /** Sends a request to a named backend; the request's URL host is the Host header sent. Never cached. */
  fetchBackend(backend: BackendName, request: Request): Promise<Response>;
  /** Whether the backend is declared; when absent, every backend is assumed to exist. */
  hasBackend?(backend: BackendName): boolean;
  /** The config store, or null when the store does not exist. */
  configStore(): KeyValueSource | null;
  /** A secret from the secret store; null when missing; throws StoreMissingError when the store is absent. */
  readSecret(name: string): Promise<string | null>;
  /** Single-flight memo: concurrent and subsequent callers within ttlMs share one computation. */
  memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, encode: (v: T) => string, decode: (s: string) => T): Promise<MemoResult<T>>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** One structured log line. Never pass secrets. */
  log(fields: Record<string, unknown>): void;
  /** The POP (FASTLY_POP) or "local". */
  pop(): string;
  /** FASTLY_SERVICE_VERSION or "local". */
  releaseId(): string;
}

export class StoreMissingError extends Error {
  readonly store: string;
  constructor(store: string) {
    super(`store ${store} does not exist`);
    this.name = 'StoreMissingError';
    this.store = store;
  }
}

/** A store that exists but could not be read (a platform failure): reported by store, never a bare 500. */
export class StoreReadError extends Error {
  readonly store: string;
  constructor(store: string, problem: string, options?: { cause?: unknown }) {
    super(`${store}: ${problem}`, options);
    this.name = 'StoreReadError';
    this.store = store;
  }
}
