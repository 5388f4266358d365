/**
 * Reads the canary URL through one network address (the staging IP, or production as DNS has it)
 * with the production Host and SNI, judged by the canary's own edge check (src/core/probe.ts): the
 * same status and error-code classification, cache and fallback evidence, content, integrity and
 * freshness rules, so a version passes the gate exactly when the canary would call it healthy.
 */
import { probeEdge, type EdgeJudgement } from '../../src/core/probe';
import type { TargetResult } from '../../src/core/types';
import { fetchBackend } from '../../src/node/backend-fetch';
import type { BackendSpec } from '../../src/node/manifest';
import { urlHost } from '../../src/node/url-host';

export interface Address {
  host: string;
  port: number;
}

export interface ReadingPlan {
  url: URL;
  /** Where to connect instead of the URL's own host; null reads through production DNS. */
  connectTo: Address | null;
  judgement: EdgeJudgement;
  deadlineMs: number;
}

export interface Reading {
  status: 'pass' | 'warn' | 'fail';
  /** The reason of the first check that is not a pass (fetch before freshness), else ok. */
  reason: string;
  httpStatus: number | null;
  errorCode: string | null;
  detail: string;
  ageSeconds: number | null;
  attempts: number;
  durationMs: number;
  result: TargetResult;
}

export async function readCanary(plan: ReadingPlan): Promise<Reading> {
  const backend = backendFor(plan);
  const platform = {
    now: () => Date.now(),
    fetchBackend: (_name: string, request: Request) => fetchBackend(backend, request),
  };
  const result = await probeEdge({ platform, config: plan.judgement, deadlineAt: Date.now() + plan.deadlineMs }, plan.url.href);
  return summarize(result);
}

/** The URL's host stays the Host header and the TLS name; only the address connected to changes. */
function backendFor(plan: ReadingPlan): BackendSpec {
  const { url, connectTo } = plan;
  const target = new URL(url.origin);
  if (connectTo) {
    target.hostname = urlHost(connectTo.host);
    target.port = String(connectTo.port);
  }
  return { name: connectTo ? 'staging' : 'production', url: target, overrideHost: url.host, certHost: url.hostname, useSni: true };
}

function summarize(result: TargetResult): Reading {
  const { fetch, freshness } = result;
  const cause = fetch.status !== 'pass' ? fetch : freshness;
  const status = fetch.status === 'fail' || freshness.status === 'fail' ? 'fail' : freshness.status;
  return {
    status,
    reason: status === 'pass' ? 'ok' : cause.reason,
    httpStatus: fetch.httpStatus,
    errorCode: fetch.errorCode,
    detail: cause.detail,
    ageSeconds: freshness.ageSeconds,
    attempts: fetch.attempts,
    durationMs: fetch.durationMs,
    result,
  };
}

/** `auth_failed SignatureDoesNotMatch`, `served_from_cache (X-Cache: HIT)`, `ok`. */
export function describeReading(reading: Reading): string {
  if (reading.status === 'pass') return `ok (${reading.httpStatus}, age ${Math.round(reading.ageSeconds ?? 0)}s)`;
  const code = reading.errorCode ? ` ${reading.errorCode}` : '';
  const evidence = reading.httpStatus !== null && reading.httpStatus !== 200 ? `HTTP ${reading.httpStatus}` : reading.detail;
  return `${reading.reason}${code} (${evidence})`;
}
