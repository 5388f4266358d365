/**
 * What `npm run verify` prints for the origins form: a headline saying which origins failed, one
 * line per origin naming its target (the role) and bucket with the evidence, its action, and each
 * credential's masked id and fingerprint; or the same as one JSON document.
 */
import { worstStatus } from '../../src/core/verdict';
import type { OriginVerdict } from './origins-check';
import { credentialNameOf } from './origins-options';

export function overallStatus(verdicts: readonly OriginVerdict[]) {
  return worstStatus(verdicts.map((verdict) => verdict.status));
}

/** `FAIL verify 1 of 2 origins failed: origin:fallback auth_failed 403 SignatureDoesNotMatch`, `PASS verify 2 of 2 origins ok` */
export function headline(verdicts: readonly OriginVerdict[], checkedAt: string): string {
  const status = overallStatus(verdicts);
  const failed = verdicts.filter((verdict) => verdict.status === 'fail');
  const warned = verdicts.filter((verdict) => verdict.status === 'warn');
  const of = `of ${verdicts.length} origin${verdicts.length === 1 ? '' : 's'}`;
  let what: string;
  if (failed.length > 0) what = `${failed.length} ${of} failed: ${failed.map((v) => `${v.origin.target} ${evidence(v).join(' ')}`).join('; ')}`;
  else if (warned.length > 0) what = `${verdicts.length} ${of} readable; ${warned.map((v) => `${v.origin.target} warns (${reasonOf(v)})`).join(', ')}`;
  else what = `${verdicts.length} ${of} ok`;
  return `${status.toUpperCase()} verify ${what} checked=${checkedAt}`;
}

export function renderOriginsText(verdicts: readonly OriginVerdict[], checkedAt: string): string {
  const lines = [headline(verdicts, checkedAt)];
  for (const verdict of verdicts) {
    lines.push(originLine(verdict));
    if (verdict.status !== 'pass') lines.push(`  action: ${verdict.action}`);
  }
  for (const { origin, credential } of verdicts) {
    if (credential) lines.push(`credential ${origin.target} ${credentialName(origin)} ${credential.accessId} fingerprint ${credential.fingerprint}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `FAIL origin:fallback s3://files-archive/edge-canary/canary.json backend=archive auth_failed 403 SignatureDoesNotMatch 12ms` */
function originLine(verdict: OriginVerdict): string {
  const { origin, result } = verdict;
  const parts = [verdict.status.toUpperCase(), origin.target, result.fetch.componentId, `backend=${origin.backend}`, ...evidence(verdict), `${Math.round(result.fetch.durationMs)}ms`];
  if (result.fetch.attempts > 1) parts.push(`attempts=${result.fetch.attempts}`);
  if (result.freshness.ageSeconds !== null) parts.push(`age=${result.freshness.ageSeconds}s`);
  if (result.freshness.sequence !== null) parts.push(`seq=${result.freshness.sequence}`);
  const unexplained = result.fetch.status !== 'pass' ? result.fetch.httpStatus === null || result.fetch.httpStatus === 200 : verdict.status !== 'pass';
  if (unexplained) parts.push(`(${result.fetch.status !== 'pass' ? result.fetch.detail : result.freshness.detail})`);
  return parts.join(' ');
}

/** The reason, with the HTTP status and the store's error code when the fetch got one. */
function evidence({ result }: OriginVerdict): string[] {
  const words = [reasonOf({ result })];
  if (result.fetch.httpStatus !== null) words.push(String(result.fetch.httpStatus));
  if (result.fetch.errorCode !== null) words.push(result.fetch.errorCode);
  return words;
}

function reasonOf({ result }: Pick<OriginVerdict, 'result'>): string {
  return result.fetch.reason !== 'ok' ? result.fetch.reason : result.freshness.reason;
}

function credentialName(origin: OriginVerdict['origin']): string {
  return credentialNameOf(origin) ?? 'none';
}

export function originsJson(verdicts: readonly OriginVerdict[], checkedAt: string) {
  return {
    status: overallStatus(verdicts),
    failed: verdicts.filter((v) => v.status === 'fail').map((v) => v.origin.target),
    checkedAt,
    origins: verdicts.map(({ origin, status, result, credential, action }) => ({
      target: origin.target, role: origin.role, entry: origin.entry, backend: origin.backend, provider: origin.provider,
      bucket: origin.bucket, object: origin.object, componentId: result.fetch.componentId,
      status, reason: reasonOf({ result }), httpStatus: result.fetch.httpStatus, errorCode: result.fetch.errorCode,
      attempts: result.fetch.attempts, durationMs: result.fetch.durationMs, ageSeconds: result.freshness.ageSeconds,
      sequence: result.freshness.sequence, fetch: result.fetch, freshness: result.freshness, action,
      credential: credential ? { name: credentialName(origin), ...credential } : null,
    })),
  };
}
