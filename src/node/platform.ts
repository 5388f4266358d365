/** The Platform of the core, implemented for Node from a fastly.toml `[local_server]`. */

import type { Abandonment } from '../core/abandon';
import { BackendError, CONFIG_STORE, SECRET_STORE, StoreMissingError } from '../core/types';
import type { BackendName, KeyValueSource, Platform } from '../core/types';
import { createBackendAgents, fetchBackend, fetchNamedBackend, FASTLY_BACKEND_TIMEOUTS, shieldTimeouts } from './backend-fetch';
import type { BackendTimeouts } from './backend-fetch';
import { readManifestSecret, type LocalManifest } from './manifest';
import { createSingleFlightMemo } from './memo';
import { createPopNotes } from './notes';
import { shieldBackendOf, shieldSiteOf, type ShieldingSites } from './shielding-sites';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface NodePlatformOptions {
  now?: () => number;
  log?: (fields: Record<string, unknown>) => void;
  /** Where FASTLY_POP, FASTLY_SERVICE_VERSION and `env` secrets come from; process.env by default. */
  env?: Environment;
  pop?: string;
  releaseId?: string;
  timeouts?: Partial<BackendTimeouts>;
  /** `[local_server.shielding_sites]`: without it every shield name is unknown, as on Viceroy. */
  shieldingSites?: ShieldingSites;
}

export interface NodePlatform extends Platform {
  /**
   * Aborts every backend and shield request in flight, refuses new ones (a check still running
   * fails at once instead of retrying against a stack that is going away) and drops the kept-alive
   * connections so the process can exit.
   */
  close(): void;
}

export function createNodePlatform(manifest: LocalManifest, options: NodePlatformOptions = {}): NodePlatform {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const agents = createBackendAgents();
  const timeouts = { ...FASTLY_BACKEND_TIMEOUTS, ...options.timeouts };
  const pop = options.pop ?? nonEmpty(env.FASTLY_POP) ?? 'local';
  const releaseId = options.releaseId ?? nonEmpty(env.FASTLY_SERVICE_VERSION) ?? 'local';
  const shieldingSites = options.shieldingSites ?? manifest.shieldingSites ?? {};
  const shutdown = new AbortController();
  /** The signal of one backend request: the platform closing aborts it, and so does its abandonment. */
  const signalFor = (abandonment: Abandonment | undefined): AbortSignal => {
    if (shutdown.signal.aborted) throw shutdown.signal.reason;
    const abandoned = abortSignalOf(abandonment);
    return abandoned === undefined ? shutdown.signal : AbortSignal.any([shutdown.signal, abandoned]);
  };

  return {
    fetchBackend: async (backend: BackendName, request: Request, abandonment?: Abandonment) =>
      fetchNamedBackend(manifest.backends, backend, request, { timeouts, agents, signal: signalFor(abandonment) }),
    hasBackend: (backend: BackendName) => manifest.backends.has(backend),
    configStore: () => {
      const store = manifest.configStores.get(CONFIG_STORE);
      return store === undefined ? null : keyValueSource(store);
    },
    readSecret: async (name: string) => {
      if (!manifest.secretStores.has(SECRET_STORE)) throw new StoreMissingError(SECRET_STORE);
      return readManifestSecret(manifest.secretStores, SECRET_STORE, name, env);
    },
    memo: createSingleFlightMemo({ now }),
    ...createPopNotes(now),
    now,
    log: options.log ?? ((fields) => writeLogLine(now, fields)),
    pop: () => pop,
    releaseId: () => releaseId,
    shield: (name: string) => shieldSiteOf(shieldingSites, name),
    // Only the connect timeout, as on Compute: the fleet check's deadline bounds a slow shield.
    fetchShield: async (name: string, request: Request, abandonment?: Abandonment) =>
      fetchBackend(shieldBackendOf(shieldingSites, name), request, { timeouts: shieldTimeouts(timeouts.connectMs), agents, signal: signalFor(abandonment) }),
    close: () => {
      shutdown.abort(new BackendError('connect_failed', 'the canary is shutting down: no more backend requests'));
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Node can do what Compute cannot: abort the request itself, which closes its socket. */
function abortSignalOf(abandonment: Abandonment | undefined): AbortSignal | undefined {
  if (abandonment === undefined) return undefined;
  const controller = new AbortController();
  abandonment.onAbandon(() => controller.abort(new BackendError('timeout', 'abandoned: the deadline passed first')));
  return controller.signal;
}

function keyValueSource(store: ReadonlyMap<string, string>): KeyValueSource {
  return { get: (key) => store.get(key) ?? null, keys: () => [...store.keys()] };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function writeLogLine(now: () => number, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ time: new Date(now()).toISOString(), ...fields }, errorsAsText);
  process.stderr.write(`${line}\n`);
}

/** JSON.stringify turns an Error into `{}`; keep its name and message (never its stack, which can be long). */
function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
