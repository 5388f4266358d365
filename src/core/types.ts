/** Shared shapes of the core: reason codes, check results, the report, and the Platform contract. */
import type { Abandonment } from './abandon';

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
  'not_asked',
] as const;
export type Reason = (typeof REASONS)[number];

/** Best to worst: the index is the severity (the one ordering every verdict, view and metric uses). */
export const CHECK_STATUSES = ['pass', 'warn', 'fail'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
/** Best to worst: the index is the severity. */
export const STATUSPAGE_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type StatuspageStatus = (typeof STATUSPAGE_STATUSES)[number];

/**
 * The fetch targets: the bucket itself (`origin` with the flat one-origin keys; `origin:primary`,
 * `origin:fallback`, `origin:fallback-2`... with `origins`), and the canary through the production
 * hostname (`edge`).
 */
export type Target = 'origin' | 'edge' | `origin:${string}`;

/** Backend names, as declared in fastly.toml: `gcs` and `edge`, and those the `origins` entries name. */
export const BACKEND_GCS = 'gcs';
export const BACKEND_EDGE = 'edge';
export type BackendName = string;

export const CONFIG_STORE = 'canary_config';
export const SECRET_STORE = 'canary_secrets';
export const SECRET_ACCESS_ID = 'hmac_access_id';
export const SECRET_SECRET = 'hmac_secret';
/** The Secret Store entry keying the fleet check's signed inner request (docs/fleet.md). */
export const SECRET_FLEET_KEY = 'fleet_key';

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

/** When this POP first saw the report's status (best effort: DESIGN.md, docs/reading-the-report.md). */
export interface StatusSince {
  /** RFC 3339: the first check at this POP that saw the current status. */
  since: string;
  /** The status before it; null when this POP remembers no earlier status (new POP, eviction, restart). */
  previous: CheckStatus | null;
}

/** The settings a check ran with that an operator needs to reproduce it (never a secret). */
export interface ProbeSettings {
  bucket: string;
  object: string;
  signing: string;
  originHost: string;
  urlStyle: string;
  region: string;
  deadlineMs: number;
  edgeUrl: string | null;
  /** Selects error semantics and checksums (`gcs`, `s3`, `b2`, `r2`, `other`); absent means gcs. */
  provider?: string;
}

/** What one origin target ran with, for the `origins` form: its settings and its own credential. */
export interface TargetContext {
  settings: ProbeSettings;
  credential: Credential | null;
}

/** One site of the fleet check: the edge POP's own check, or one listed shield's. */
export interface FleetSite {
  /** The shield code asked; null for the edge's own check. */
  shield: string | null;
  /** `local`: the check ran here (the edge, or the shield this code runs on); `remote`: the shield answered. */
  answeredBy: 'local' | 'remote';
  /** The POP that actually answered (from its own report's `pop`); null when no usable answer came. */
  pop: string | null;
  status: CheckStatus;
  reason: Reason;
  /** The HTTP status of the shield's answer; null for the local check or when none came. */
  httpStatus: number | null;
  durationMs: number;
  /** The site's own `output`, or why its answer could not be used. */
  output: string;
  /** What to do about this site: its own report's `action`, or the action for a failed hop. */
  action: string;
  /** The Statuspage status this site's result maps to on its own; null when it vouches for nothing. */
  statuspage: StatuspageStatus | null;
  /** When the site's check ran (its own `checkedAt`); null when no usable answer came. */
  checkedAt: string | null;
}

/** The fleet view of `GET /health?scope=fleet`: the edge first, then the shields in config order. */
export interface FleetView {
  sites: FleetSite[];
  /** How many listed shields are failing, and how many are listed. */
  failingShields: number;
  shieldCount: number;
}

export interface Report {
  status: CheckStatus;
  reason: Reason;
  httpStatus: 200 | 503;
  /** The Statuspage component status this report maps to; null when misconfigured (it vouches for nothing). */
  statuspage: StatuspageStatus | null;
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
  /** Since when this POP sees `status`; null when its memory is unavailable. */
  since: StatusSince | null;
  /** What the check ran with; null when the configuration could not be used. */
  settings: ProbeSettings | null;
  /** Per origin target with the `origins` form (the primary's is also `settings`/`credential`); absent with the flat keys. */
  targets?: Record<string, TargetContext>;
  /** Only with `scope=fleet`: every site's result; the report's status is then the worst of them. */
  fleet?: FleetView;
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

/** What the runtime knows of one shield POP (Fastly: `new Shield(name)`). */
export interface ShieldSite {
  /** This code runs on (or effectively on) that shield: `Shield.runningOn()`. */
  runningOn: boolean;
}

/**
 * Everything the core needs from its runtime. Compute implements it in src/fastly/, the Node host
 * in src/node/, tests with plain objects.
 */
export interface Platform {
  /**
   * Sends a request to a named backend; the request's URL host is the Host header sent. Never cached.
   * When `abandonment` fires, the caller has given up: release the connection where the platform can.
   */
  fetchBackend(backend: BackendName, request: Request, abandonment?: Abandonment): Promise<Response>;
  /** Whether the backend is declared; when absent, every backend is assumed to exist. */
  hasBackend?(backend: BackendName): boolean;
  /** The config store, or null when the store does not exist. */
  configStore(): KeyValueSource | null;
  /** A secret from the secret store; null when missing; throws StoreMissingError when the store is absent. */
  readSecret(name: string): Promise<string | null>;
  /**
   * Single-flight memo: concurrent and subsequent callers within ttlMs share one computation. When
   * the memo itself fails (SimpleCache unavailable), the result of `uncoalesced` (by default
   * `compute`) is returned unshared: a computation that must not run once per request says what
   * to do instead.
   */
  memo<T>(key: string, ttlMs: number, compute: () => Promise<T>, encode: (v: T) => string, decode: (s: string) => T, uncoalesced?: () => Promise<T>): Promise<MemoResult<T>>;
  /**
   * Per-POP memory that outlives a request, best effort (SimpleCache on Fastly: an eviction or a new
   * POP forgets): the note stored under key, or `value`, stored and returned, when there is none.
   * `ttlSeconds` is whole seconds, as SimpleCache truncates it.
   */
  noteOnce(key: string, value: string, ttlSeconds: number): Promise<string>;
  /** The note stored under key at this POP, or null when there is none; never stores anything. */
  readNote(key: string): Promise<string | null>;
  /**
   * Forgets a note at this POP. On Fastly the purge lands up to ~150 ms later and then removes a
   * value written after it too: never noteOnce a key right after forgetting it.
   */
  forgetNote(key: string): Promise<void>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** One structured log line. Never pass secrets. */
  log(fields: Record<string, unknown>): void;
  /** The POP (FASTLY_POP) or "local". */
  pop(): string;
  /** FASTLY_SERVICE_VERSION or "local". */
  releaseId(): string;
  /** Resolves a shield code; null when the runtime knows no such shield (Fastly's constructor throws). */
  shield(name: string): ShieldSite | null;
  /**
   * Sends the request to that shield POP over its encrypted backend, cache bypassed. The runtime
   * does not honour the shield backend's first-byte timeout: the caller races its own deadline.
   */
  fetchShield(name: string, request: Request, abandonment?: Abandonment): Promise<Response>;
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
