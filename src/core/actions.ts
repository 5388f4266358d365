/**
 * What to do, one line per failure: the table of reason × origin error code (× target, where the
 * production hostname needs a different answer than the bucket) → action. The first matching row
 * wins; every reason ends with a `'*'` row, so every reason has an action, and `ok` says "none
 * needed". Actions quote the evidence (fingerprint, status, code, age) and give a command that can
 * be pasted, built from the settings the check ran with.
 */
import { objectUrl, uploadCommand, verifyCommand } from './commands';
import { REFUSED_OUTPUT } from './fleet/shield-answer';
import { isFallbackTarget } from './targets';
import { formatDuration } from './time-words';
import type { Credential, ProbeSettings, Reason, Target } from './types';

export const NONE_NEEDED = 'none needed';

/** Everything an action may quote: the check's evidence and what the report knows around it. */
export interface ActionEvidence {
  target: Target;
  reason: Reason;
  httpStatus: number | null;
  errorCode: string | null;
  attempts: number;
  detail: string;
  ageSeconds: number | null;
  writtenAt: string | null;
  sequence: number | null;
  credential: Credential | null;
  settings: ProbeSettings | null;
  pop: string;
  /** Set when the evidence is the fleet check's hop to this shield, not a bucket read. */
  shield?: string;
  /** False when the primary origin cannot be read either (a fallback's failure then matters now); true when absent. */
  primaryReadable?: boolean;
}

export interface ActionRow {
  reason: Reason;
  /** The origin error code the row is for; `'*'` matches any (the reason's last row). */
  errorCode: string;
  /** Only for this target; any target when absent. */
  target?: Target;
  /** A further condition, in words for the docs and tests. */
  when?: { says: string; holds: (evidence: ActionEvidence) => boolean };
  action: (evidence: ActionEvidence) => string;
}

const EDGE = 'edge' as const;
const FALLBACK = { says: 'a fallback origin', holds: (e: ActionEvidence) => isFallbackTarget(e.target) };
const S3_OR_B2 = { says: 'provider s3 or b2', holds: (e: ActionEvidence) => e.settings?.provider === 's3' || e.settings?.provider === 'b2' };
const R2 = { says: 'provider r2', holds: (e: ActionEvidence) => e.settings?.provider === 'r2' };
const S3_COMPATIBLE = { says: 'an S3-compatible provider', holds: (e: ActionEvidence) => isS3Compatible(e) };
const SHIELD_HOP = { says: 'the fleet check asking a shield', holds: (e: ActionEvidence) => e.shield !== undefined };
const SHIELD_REFUSED = { says: 'a shield refused the signed request (HTTP 403 refused)', holds: (e: ActionEvidence) => e.shield !== undefined && e.detail === REFUSED_OUTPUT };
const VERSIONS = 'npx fastly service-version list';

export const ACTION_TABLE: readonly ActionRow[] = [
  { reason: 'ok', errorCode: '*', action: () => NONE_NEEDED },

  { reason: 'auth_failed', errorCode: '*', target: EDGE, action: (e) => `production's hostname refused the canary (${answer(e)}): production cannot read the bucket; if origin passes here, production holds another secret than this canary (fingerprint ${fingerprint(e)}): check production's with ${verify(e)}` },
  { reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch', action: (e) => `the bucket rejects this secret: compare fingerprint ${fingerprint(e)} with the intended one: put it in CANARY_HMAC_ACCESS_ID/CANARY_HMAC_SECRET and run ${verify(e)}; if production holds the same secret, production is failing too` },
  { reason: 'auth_failed', errorCode: 'Unauthorized', when: R2, action: (e) => `Cloudflare R2 refused the credential (${answer(e)}): access key id ${accessId(e)} or its secret is wrong, or its API token was revoked or lacks Object Read on ${e.settings?.bucket ?? 'the bucket'}; compare fingerprint ${fingerprint(e)} with the intended secret: ${verify(e)}; tokens: Cloudflare dashboard, R2, Manage R2 API Tokens` },
  { reason: 'auth_failed', errorCode: 'InvalidAccessKeyId', when: S3_COMPATIBLE, action: (e) => `${store(e)} does not know access id ${accessId(e)} (deleted, or from another account): ${keyListCommand(e)}; if it is gone, create a key and update production and canary_secrets together` },
  { reason: 'auth_failed', errorCode: 'InvalidAccessKeyId', action: (e) => `the bucket does not know access id ${accessId(e)} (deleted, or from another project): look for it in gcloud storage hmac list; if it is gone, create a key and update production and canary_secrets together` },
  { reason: 'auth_failed', errorCode: 'AccessDenied', when: { says: 'signing is none', holds: (e) => e.settings?.signing === 'none' }, action: () => `the object is not public and this check is unsigned (signing=none): set signing to production's scheme and put production's HMAC key in canary_secrets` },
  { reason: 'auth_failed', errorCode: 'AccessDenied', when: S3_OR_B2, action: (e) => `${answer(e)} from ${store(e)}: either the credential is refused or ${object(e)} is missing and key ${accessId(e)} may not list the bucket (then ${store(e)} answers a missing object with 403 AccessDenied, not 404); check with ${verify(e)}, and look for the object with a key that may list: ${listCommand(e)}` },
  { reason: 'auth_failed', errorCode: 'AccessDenied', action: (e) => `key ${accessId(e)} is valid but may not read ${object(e)}: give its service account storage.objects.get (roles/storage.objectViewer) on the bucket; see who may: gcloud storage buckets get-iam-policy gs://${e.settings?.bucket ?? 'BUCKET'}` },
  { reason: 'auth_failed', errorCode: '*', action: (e) => `the bucket refused the request (${answer(e)}): reproduce it with the deployed credential to see the full error: ${verify(e)}` },

  { reason: 'clock_skew', errorCode: '*', action: (e) => `the request's date is over 15 min from the bucket's clock (${answer(e)}): fix the clock of what ran the check (POP ${e.pop}; for npm run verify, your machine: timedatectl status)` },

  { reason: 'not_found', errorCode: '*', target: EDGE, action: (e) => `production answered 404 for ${edgeUrl(e)}: check that edge_url is the canary's path on production and that production sends it to the bucket` },
  { reason: 'not_found', errorCode: '*', when: FALLBACK, action: (e) => `${object(e)} is missing on the fallback: the uploader is not writing this origin; give it every origin (npm run upload -- --origins FILE, the same list as canary_config origins) and check its report for ${e.target}` },
  { reason: 'not_found', errorCode: '*', action: (e) => `${object(e)} is missing: is the uploader running and writing this object (or did a lifecycle rule delete it)? write it now: ${upload(e)}` },

  { reason: 'bucket_missing', errorCode: '*', target: EDGE, action: (e) => `production's hostname reads a bucket that does not exist (${answer(e)}): check the production service's bucket name` },
  { reason: 'bucket_missing', errorCode: '*', when: S3_COMPATIBLE, action: (e) => `bucket ${e.settings?.bucket ?? '(unknown)'} does not exist on ${e.settings?.originHost ?? 'the origin'} (${answer(e)}): check the origin's bucket, host and region (${e.settings?.region ?? '?'}); look: aws s3api head-bucket --bucket ${e.settings?.bucket ?? 'BUCKET'} --endpoint-url https://${e.settings?.originHost ?? 'HOST'}` },
  { reason: 'bucket_missing', errorCode: '*', action: (e) => `bucket ${e.settings?.bucket ?? '(unknown)'} does not exist on ${e.settings?.originHost ?? 'the origin'}: check the config keys bucket and origin_host; look: gcloud storage buckets describe gs://${e.settings?.bucket ?? 'BUCKET'}` },

  { reason: 'origin_error', errorCode: '*', target: EDGE, action: (e) => `production's hostname answered ${answer(e)}: production cannot fetch the canary from its origin; if origin passes here, look at production's backend, not at the bucket` },
  { reason: 'origin_error', errorCode: '*', when: S3_COMPATIBLE, action: (e) => `the bucket answered ${answer(e)} on ${attemptsOf(e)}: a problem on ${store(e)}'s side; see ${statusPage(e)} and read it from elsewhere: ${verify(e)}` },
  { reason: 'origin_error', errorCode: '*', action: (e) => `the bucket answered ${answer(e)} on ${attemptsOf(e)}: a Cloud Storage problem; see https://status.cloud.google.com and read it from elsewhere: ${verify(e)}` },

  { reason: 'unexpected_status', errorCode: '*', target: EDGE, action: (e) => `production answered ${answer(e)} for ${edgeUrl(e)}: check edge_url and production's rules for that path` },
  { reason: 'unexpected_status', errorCode: '*', when: SHIELD_REFUSED, action: (e) => `shield ${e.shield} refused the fleet check's signed request: most often fleet_key differs between this POP and ${e.shield} while a key rotation spreads (it settles within minutes: compare fleet_key in canary_secrets and ask again); else that POP's clock is more than 60 s off, or the POP answering for ${e.shield} is not that shield (runningOn is false there); its log line "Fleet inner request refused" says which` },
  { reason: 'unexpected_status', errorCode: '*', when: SHIELD_HOP, action: (e) => `shield ${e.shield} answered the fleet check with HTTP ${e.httpStatus ?? '?'} (${e.detail}): something in front of the service answers there, or that POP runs a version without the fleet check; compare the versions: ${VERSIONS}` },
  { reason: 'unexpected_status', errorCode: '*', when: { says: 'HTTP 429', holds: (e) => e.httpStatus === 429 }, action: (e) => `the bucket is rate limiting (${answer(e)}): raise result_ttl_ms so each POP checks less often, or find what else uses this key` },
  { reason: 'unexpected_status', errorCode: '*', when: { says: 'HTTP 3xx', holds: (e) => isRedirect(e.httpStatus) }, action: (e) => `the bucket redirected (${answer(e)}): origin_host (${e.settings?.originHost ?? '?'}) or url_style (${e.settings?.urlStyle ?? '?'}) does not match the bucket; reproduce: ${verify(e)}` },
  { reason: 'unexpected_status', errorCode: '*', action: (e) => `the bucket answered ${answer(e)}: usually a wrong origin_host (${e.settings?.originHost ?? '?'}), url_style (${e.settings?.urlStyle ?? '?'}) or region (${e.settings?.region ?? '?'}); reproduce: ${verify(e)}` },

  { reason: 'timeout', errorCode: '*', target: EDGE, action: (e) => `no complete answer from production's hostname within deadline_ms (${deadline(e)}): check production's latency and backend edge's timeouts: npx fastly backend describe --version active --name edge` },
  { reason: 'timeout', errorCode: '*', when: SHIELD_HOP, action: (e) => `shield ${e.shield} gave no complete answer within deadline_ms: the way to that POP hangs (a shield whose own bucket read hangs answers in time with its own timeout), or it runs a version without the fleet check's shorter inner deadline; production traffic shielded at ${e.shield} is likely slow or failing too: check https://www.fastlystatus.com and the service's origin latency at that POP` },
  { reason: 'timeout', errorCode: '*', action: (e) => `no complete answer from the bucket within deadline_ms (${deadline(e)}, ${attemptsOf(e)}): time a direct read: ${verify(e)}; check backend gcs's timeouts: npx fastly backend describe --version active --name gcs` },

  { reason: 'connect_failed', errorCode: '*', target: EDGE, action: (e) => `could not connect to production's hostname (${e.detail}): check backend edge's address, port and TLS: npx fastly backend describe --version active --name edge` },
  { reason: 'connect_failed', errorCode: '*', when: SHIELD_HOP, action: (e) => `could not reach shield ${e.shield} (${e.detail}): Fastly could not route this POP's request to that shield, and production's shielded requests take the same way: check https://www.fastlystatus.com, and that ${e.shield} is still one of production's shields: npx fastly backend list --version active` },
  { reason: 'connect_failed', errorCode: '*', action: (e) => `could not connect to the bucket host (${e.detail}): check backend gcs's address, port and TLS: npx fastly backend describe --version active --name gcs` },

  { reason: 'invalid_content', errorCode: '*', target: EDGE, action: (e) => `production served something else than the canary (${e.detail}): an error page, a redirect target or a rewrite of ${edgeUrl(e)}; look: curl -sS ${edgeUrl(e)} | head -c 300` },
  { reason: 'invalid_content', errorCode: '*', when: SHIELD_HOP, action: (e) => `shield ${e.shield} answered the fleet check with something that is not a canary report (${e.detail}): that POP runs another version of the service, or something rewrites its answers; compare the versions: ${VERSIONS}` },
  { reason: 'invalid_content', errorCode: '*', when: S3_COMPATIBLE, action: (e) => `${object(e)} is not a canary (${e.detail}): something else wrote it, or a proxy answered for the bucket; look: aws s3 cp ${object(e)} -${endpoint(e)} | head -c 300; then replace it: ${upload(e, true)}` },
  { reason: 'invalid_content', errorCode: '*', action: (e) => `${object(e)} is not a canary (${e.detail}): something else wrote it, or a proxy answered for the bucket; look: gcloud storage cat ${object(e)} | head -c 300; then replace it: ${upload(e, true)}` },

  { reason: 'integrity_mismatch', errorCode: '*', target: EDGE, action: (e) => `production changed the canary's bytes (${e.detail}): a transform (compression, rewriting) runs on ${edgeUrl(e)}; exempt that path from it` },
  { reason: 'integrity_mismatch', errorCode: '*', action: (e) => `the body does not match the bucket's checksum (${e.detail}): something between this POP and the bucket alters or truncates bodies; compare a direct read: ${verify(e)}` },

  { reason: 'stale', errorCode: '*', when: FALLBACK, action: (e) => `the fallback's canary was written ${ageOf(e)} ago (${writtenOf(e)}) while the uploader should write every origin in one tick: it stopped writing this origin or its write credential for it broke; check the uploader's report for ${e.target}` },
  { reason: 'stale', errorCode: '*', action: (e) => `the canary was written ${ageOf(e)} ago (${writtenOf(e)}): the uploader stopped or its write credential broke (reads still work): check its logs, or write once: ${upload(e)}` },
  { reason: 'future_dated', errorCode: '*', action: (e) => `the canary is dated ${ageOf(e)} in the future (${writtenOf(e)}): the uploader's clock is wrong; fix its host's time (timedatectl status, enable NTP)` },

  { reason: 'served_from_cache', errorCode: '*', action: (e) => `production answered the canary from its cache (${e.detail}): make production pass ${edgeUrl(e)} (never cache it, never serve it stale), or the canary is blind again` },
  { reason: 'served_by_fallback', errorCode: '*', action: (e) => `production served the canary through a fallback (${e.detail}): its primary backend is probably failing now; the canary path must never restart onto another backend` },

  { reason: 'not_asked', errorCode: '*', action: (e) => `shield ${e.shield ?? '(unknown)'} was not asked: the fleet check could not be shared at POP ${e.pop} (its SimpleCache failed, see the log line "SimpleCache failed"), and an unshared fleet check would ask every shield for every request; this POP's own check still ran. Ask again after result_ttl_ms; if it persists, check Fastly's status (https://www.fastlystatus.com) for that POP` },

  { reason: 'misconfigured', errorCode: '*', action: () => `nothing was fetched: fix each configuration error listed (Config Store canary_config, Secret Store canary_secrets, and the backends: gcs for the flat keys or each origin's own backend in origins, and edge with edge_url), then load /health again` },
];

/** The action of the first row that matches the evidence; a fallback's says when it starts to matter. */
export function actionFor(evidence: ActionEvidence): string {
  const row = ACTION_TABLE.find((candidate) => rowMatches(candidate, evidence));
  // Unreachable while every reason has a '*' row (a test holds the table to that).
  const action = row ? row.action(evidence) : `no action known for ${evidence.reason}`;
  if (evidence.reason === 'ok' || !isFallbackTarget(evidence.target)) return action;
  if (evidence.primaryReadable === false) {
    return `${action} (${evidence.target}: the primary is failing too, so this is the last copy production could restart onto and it cannot serve: users are affected now; mending either origin brings reads back)`;
  }
  return `${action} (${evidence.target}: production reads it only when the primary fails, so users are unaffected now; fix it before then)`;
}

export function rowMatches(row: ActionRow, evidence: ActionEvidence): boolean {
  return row.reason === evidence.reason
    && (row.errorCode === '*' || row.errorCode === evidence.errorCode)
    && (row.target === undefined || row.target === evidence.target)
    && (row.when === undefined || row.when.holds(evidence));
}

/** "403 SignatureDoesNotMatch", "503", "401, no error code". */
function answer(e: ActionEvidence): string {
  if (e.httpStatus === null) return e.detail;
  return e.errorCode === null ? `HTTP ${e.httpStatus}, no error code` : `HTTP ${e.httpStatus} ${e.errorCode}`;
}

const fingerprint = (e: ActionEvidence) => e.credential?.fingerprint ?? '(none: no credential)';
const accessId = (e: ActionEvidence) => e.credential?.accessId ?? '(none)';
const verify = (e: ActionEvidence) => (e.settings ? verifyCommand(e.settings) : 'npm run verify -- --bucket BUCKET --object OBJECT');
const upload = (e: ActionEvidence, force = false) => (e.settings ? uploadCommand(e.settings, { force }) : 'npm run upload -- --bucket BUCKET --object OBJECT');
const object = (e: ActionEvidence) => (e.settings ? objectUrl(e.settings) : 'the canary object');
const edgeUrl = (e: ActionEvidence) => e.settings?.edgeUrl ?? 'edge_url';
const deadline = (e: ActionEvidence) => (e.settings ? `${e.settings.deadlineMs} ms` : 'deadline_ms');
const attemptsOf = (e: ActionEvidence) => (e.attempts === 1 ? '1 attempt' : `all ${e.attempts} attempts`);
const ageOf = (e: ActionEvidence) => (e.ageSeconds === null ? 'an unknown time' : formatDuration(Math.abs(e.ageSeconds)));
const writtenOf = (e: ActionEvidence) => `written_at ${e.writtenAt ?? 'unknown'}${e.sequence === null ? '' : `, sequence ${e.sequence}`}`;
const PROVIDER_NAMES: Record<string, string> = { s3: 'AWS S3', b2: 'Backblaze B2', r2: 'Cloudflare R2', other: 'the store' };
const STATUS_PAGES: Record<string, string> = { s3: 'https://health.aws.amazon.com/health/status', b2: 'https://status.backblaze.com', r2: 'https://www.cloudflarestatus.com' };
const isS3Compatible = (e: ActionEvidence) => e.settings?.provider !== undefined && e.settings.provider !== 'gcs';
const store = (e: ActionEvidence) => PROVIDER_NAMES[e.settings?.provider ?? ''] ?? 'the store';
const statusPage = (e: ActionEvidence) => STATUS_PAGES[e.settings?.provider ?? ''] ?? "the store's status page";
const endpoint = (e: ActionEvidence) => (e.settings?.provider === 's3' ? '' : ` --endpoint-url https://${e.settings?.originHost ?? 'HOST'}`);
const listCommand = (e: ActionEvidence) => `aws s3 ls ${object(e)}${endpoint(e)}`;
const keyListCommand = (e: ActionEvidence) => (e.settings?.provider === 'b2' ? 'look for it in b2 key list' : e.settings?.provider === 's3' ? 'look for it in aws iam list-access-keys (for the key\'s user)' : "look for it in the store's key list");
const isRedirect = (status: number | null) => status !== null && status >= 300 && status < 400;
