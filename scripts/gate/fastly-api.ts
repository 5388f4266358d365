/**
 * The few Fastly API calls the gate makes (api.fastly.com, `Fastly-Key` header), with every failure
 * named: refused token, unknown service or version, rate limit, timeout, unreachable API. The token
 * is sent in one header and never appears in an error, a log line or the output.
 */
import { FastlyApiError, describeApiFailure } from './api-errors';

export const FASTLY_API_BASE = 'https://api.fastly.com';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface ServiceVersion {
  number: number;
  active: boolean;
  locked: boolean;
  staging: boolean;
}

export interface StagingDomain {
  name: string;
  stagingIp: string | null;
}

export interface FastlyApiOptions {
  token: string;
  base?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export interface FastlyApi {
  listVersions(serviceId: string): Promise<ServiceVersion[]>;
  /** Domains of a version with their staging IPs (`?include=staging_ips`). */
  listStagingDomains(serviceId: string, version: number): Promise<StagingDomain[]>;
  /** The text diff (`format=text`) between two versions. */
  diff(serviceId: string, from: number, to: number): Promise<string>;
  activateStaging(serviceId: string, version: number): Promise<void>;
  deactivateStaging(serviceId: string, version: number): Promise<void>;
  activate(serviceId: string, version: number): Promise<void>;
}

export function createFastlyApi(options: FastlyApiOptions): FastlyApi {
  const base = (options.base ?? FASTLY_API_BASE).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? globalThis.fetch;

  async function call(method: 'GET' | 'PUT', path: string, what: string): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: { 'fastly-key': options.token, accept: 'application/json', 'user-agent': 'edge-canary-gate/0.1' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new FastlyApiError(timedOut ? 'timeout' : 'unreachable', what, null, timedOut
        ? `no answer within ${timeoutMs / 1000} s`
        : `cannot reach ${new URL(base).host} (${causeOf(error)})`);
    }
    const text = await response.text();
    if (!response.ok) throw describeApiFailure(what, response, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new FastlyApiError('bad_response', what, response.status, `the answer is not JSON (${text.length} bytes)`);
    }
  }

  const service = (serviceId: string) => `/service/${encodeURIComponent(serviceId)}`;
  const version = (serviceId: string, n: number) => `${service(serviceId)}/version/${n}`;

  return {
    async listVersions(serviceId) {
      const what = `list versions of service ${serviceId}`;
      const body = await call('GET', `${service(serviceId)}/version`, what);
      if (!Array.isArray(body)) throw new FastlyApiError('bad_response', what, 200, 'expected a JSON array of versions');
      return body.map((entry: unknown) => toVersion(entry, what));
    },
    async listStagingDomains(serviceId, n) {
      const what = `list domains of service ${serviceId} version ${n}`;
      const body = await call('GET', `${version(serviceId, n)}/domain?include=staging_ips`, what);
      if (!Array.isArray(body)) throw new FastlyApiError('bad_response', what, 200, 'expected a JSON array of domains');
      return body.map((entry: unknown) => {
        const fields = (entry ?? {}) as Record<string, unknown>;
        return { name: String(fields.name ?? ''), stagingIp: typeof fields.staging_ip === 'string' && fields.staging_ip !== '' ? fields.staging_ip : null };
      });
    },
    async diff(serviceId, from, to) {
      const what = `diff versions ${from} and ${to} of service ${serviceId}`;
      const body = (await call('GET', `${service(serviceId)}/diff/from/${from}/to/${to}?format=text`, what)) as Record<string, unknown> | null;
      if (typeof body?.diff !== 'string') throw new FastlyApiError('bad_response', what, 200, 'no "diff" text in the answer');
      return body.diff;
    },
    async activateStaging(serviceId, n) {
      await call('PUT', `${version(serviceId, n)}/activate/staging`, `activate version ${n} on staging`);
    },
    async deactivateStaging(serviceId, n) {
      await call('PUT', `${version(serviceId, n)}/deactivate/staging`, `deactivate version ${n} on staging`);
    },
    async activate(serviceId, n) {
      await call('PUT', `${version(serviceId, n)}/activate`, `activate version ${n} on production`);
    },
  };
}

function toVersion(entry: unknown, what: string): ServiceVersion {
  const fields = (entry ?? {}) as Record<string, unknown>;
  const number = Number(fields.number);
  if (!Number.isSafeInteger(number) || number < 1) throw new FastlyApiError('bad_response', what, 200, 'a version without a number');
  return { number, active: fields.active === true, locked: fields.locked === true, staging: fields.staging === true };
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (cause instanceof Error ? cause.message : String(cause)).slice(0, 120);
}
