import { describe, expect, it } from 'vitest';
import { REFUSED_OUTPUT } from '../../src/core/fleet/shield-answer';
import { ACTION_TABLE, NONE_NEEDED, actionFor, rowMatches, type ActionEvidence, type ActionRow } from '../../src/core/actions';
import { REASONS, type ProbeSettings } from '../../src/core/types';

const SETTINGS: ProbeSettings = {
  bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'goog4', originHost: 'storage.googleapis.com',
  urlStyle: 'path', region: 'auto', deadlineMs: 8000, edgeUrl: 'https://files.example.org/edge-canary/canary.json',
};
const VERIFY = 'npm run verify -- --bucket pkg-files --object edge-canary/canary.json --signing goog4';
const B2: ProbeSettings = { ...SETTINGS, signing: 'aws4', originHost: 's3.us-east-005.backblazeb2.com', region: 'us-east-005', provider: 'b2', bucket: 'files-b2' };
const S3: ProbeSettings = { ...SETTINGS, signing: 'aws4', originHost: 's3.us-west-2.amazonaws.com', urlStyle: 'virtual', region: 'us-west-2', provider: 's3', bucket: 'files-archive' };
const R2: ProbeSettings = { ...SETTINGS, signing: 'aws4', originHost: 'acct.r2.cloudflarestorage.com', provider: 'r2', bucket: 'files-r2' };
const VERIFY_B2 = 'npm run verify -- --bucket files-b2 --object edge-canary/canary.json --signing aws4 --host s3.us-east-005.backblazeb2.com --region us-east-005 --provider b2';
const VERIFY_S3 = 'npm run verify -- --bucket files-archive --object edge-canary/canary.json --signing aws4 --host s3.us-west-2.amazonaws.com --url-style virtual --region us-west-2 --provider s3';
const VERIFY_R2 = 'npm run verify -- --bucket files-r2 --object edge-canary/canary.json --signing aws4 --host acct.r2.cloudflarestorage.com --provider r2';
const FALLBACK_NOTE = '(origin:fallback: production reads it only when the primary fails, so users are unaffected now; fix it before then)';
const UPLOAD = 'npm run upload -- --bucket pkg-files --object edge-canary/canary.json';

function evidence(overrides: Partial<ActionEvidence>): ActionEvidence {
  return {
    target: 'origin', reason: 'ok', httpStatus: 200, errorCode: null, attempts: 1, detail: 'HTTP 200',
    ageSeconds: null, writtenAt: null, sequence: null,
    credential: { accessId: 'GOOG…WXYZ', fingerprint: 'a4d6c0ffee12' }, settings: SETTINGS, pop: 'LHR',
    ...overrides,
  };
}

/** One case per row of the table, in table order: the evidence that selects the row, and its action. */
const CASES: { evidence: Partial<ActionEvidence>; action: string }[] = [
  { evidence: { reason: 'ok' }, action: NONE_NEEDED },

  { evidence: { reason: 'auth_failed', target: 'edge', httpStatus: 403, errorCode: 'SignatureDoesNotMatch' },
    action: `production's hostname refused the canary (HTTP 403 SignatureDoesNotMatch): production cannot read the bucket; if origin passes here, production holds another secret than this canary (fingerprint a4d6c0ffee12): check production's with ${VERIFY}` },
  { evidence: { reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch' },
    action: `the bucket rejects this secret: compare fingerprint a4d6c0ffee12 with the intended one: put it in CANARY_HMAC_ACCESS_ID/CANARY_HMAC_SECRET and run ${VERIFY}; if production holds the same secret, production is failing too` },
  { evidence: { reason: 'auth_failed', target: 'origin:primary', httpStatus: 401, errorCode: 'Unauthorized', settings: R2 },
    action: `Cloudflare R2 refused the credential (HTTP 401 Unauthorized): access key id GOOG…WXYZ or its secret is wrong, or its API token was revoked or lacks Object Read on files-r2; compare fingerprint a4d6c0ffee12 with the intended secret: ${VERIFY_R2}; tokens: Cloudflare dashboard, R2, Manage R2 API Tokens` },
  { evidence: { reason: 'auth_failed', target: 'origin:primary', httpStatus: 403, errorCode: 'InvalidAccessKeyId', settings: B2 },
    action: 'Backblaze B2 does not know access id GOOG…WXYZ (deleted, or from another account): look for it in b2 key list; if it is gone, create a key and update production and canary_secrets together' },
  { evidence: { reason: 'auth_failed', httpStatus: 403, errorCode: 'InvalidAccessKeyId' },
    action: 'the bucket does not know access id GOOG…WXYZ (deleted, or from another project): look for it in gcloud storage hmac list; if it is gone, create a key and update production and canary_secrets together' },
  { evidence: { reason: 'auth_failed', httpStatus: 403, errorCode: 'AccessDenied', credential: null, settings: { ...SETTINGS, signing: 'none' } },
    action: "the object is not public and this check is unsigned (signing=none): set signing to production's scheme and put production's HMAC key in canary_secrets" },
  { evidence: { reason: 'auth_failed', target: 'origin:fallback', httpStatus: 403, errorCode: 'AccessDenied', settings: S3 },
    action: `HTTP 403 AccessDenied from AWS S3: either the credential is refused or s3://files-archive/edge-canary/canary.json is missing and key GOOG…WXYZ may not list the bucket (then AWS S3 answers a missing object with 403 AccessDenied, not 404); check with ${VERIFY_S3}, and look for the object with a key that may list: aws s3 ls s3://files-archive/edge-canary/canary.json ${FALLBACK_NOTE}` },
  { evidence: { reason: 'auth_failed', httpStatus: 403, errorCode: 'AccessDenied' },
    action: 'key GOOG…WXYZ is valid but may not read gs://pkg-files/edge-canary/canary.json: give its service account storage.objects.get (roles/storage.objectViewer) on the bucket; see who may: gcloud storage buckets get-iam-policy gs://pkg-files' },
  { evidence: { reason: 'auth_failed', httpStatus: 401, errorCode: null },
    action: `the bucket refused the request (HTTP 401, no error code): reproduce it with the deployed credential to see the full error: ${VERIFY}` },

  { evidence: { reason: 'clock_skew', httpStatus: 403, errorCode: 'RequestTimeTooSkewed' },
    action: "the request's date is over 15 min from the bucket's clock (HTTP 403 RequestTimeTooSkewed): fix the clock of what ran the check (POP LHR; for npm run verify, your machine: timedatectl status)" },

  { evidence: { reason: 'not_found', target: 'edge', httpStatus: 404 },
    action: "production answered 404 for https://files.example.org/edge-canary/canary.json: check that edge_url is the canary's path on production and that production sends it to the bucket" },
  { evidence: { reason: 'not_found', target: 'origin:fallback', httpStatus: 404, errorCode: 'NoSuchKey', settings: S3 },
    action: `s3://files-archive/edge-canary/canary.json is missing on the fallback: the uploader is not writing this origin; give it every origin (npm run upload -- --origins FILE, the same list as canary_config origins) and check its report for origin:fallback ${FALLBACK_NOTE}` },
  { evidence: { reason: 'not_found', httpStatus: 404, errorCode: 'NoSuchKey' },
    action: `gs://pkg-files/edge-canary/canary.json is missing: is the uploader running and writing this object (or did a lifecycle rule delete it)? write it now: ${UPLOAD}` },

  { evidence: { reason: 'bucket_missing', target: 'edge', httpStatus: 404, errorCode: 'NoSuchBucket' },
    action: "production's hostname reads a bucket that does not exist (HTTP 404 NoSuchBucket): check the production service's bucket name" },
  { evidence: { reason: 'bucket_missing', target: 'origin:primary', httpStatus: 404, errorCode: 'NoSuchBucket', settings: B2 },
    action: 'bucket files-b2 does not exist on s3.us-east-005.backblazeb2.com (HTTP 404 NoSuchBucket): check the origin\'s bucket, host and region (us-east-005); look: aws s3api head-bucket --bucket files-b2 --endpoint-url https://s3.us-east-005.backblazeb2.com' },
  { evidence: { reason: 'bucket_missing', httpStatus: 404, errorCode: 'NoSuchBucket' },
    action: 'bucket pkg-files does not exist on storage.googleapis.com: check the config keys bucket and origin_host; look: gcloud storage buckets describe gs://pkg-files' },

  { evidence: { reason: 'origin_error', target: 'edge', httpStatus: 502, attempts: 2 },
    action: "production's hostname answered HTTP 502, no error code: production cannot fetch the canary from its origin; if origin passes here, look at production's backend, not at the bucket" },
  { evidence: { reason: 'origin_error', target: 'origin:primary', httpStatus: 503, errorCode: 'ServiceUnavailable', attempts: 2, settings: B2 },
    action: `the bucket answered HTTP 503 ServiceUnavailable on all 2 attempts: a problem on Backblaze B2's side; see https://status.backblaze.com and read it from elsewhere: ${VERIFY_B2}` },
  { evidence: { reason: 'origin_error', httpStatus: 503, errorCode: 'InternalError', attempts: 2 },
    action: `the bucket answered HTTP 503 InternalError on all 2 attempts: a Cloud Storage problem; see https://status.cloud.google.com and read it from elsewhere: ${VERIFY}` },

  { evidence: { reason: 'unexpected_status', target: 'edge', httpStatus: 410 },
    action: "production answered HTTP 410, no error code for https://files.example.org/edge-canary/canary.json: check edge_url and production's rules for that path" },
  { evidence: { reason: 'unexpected_status', httpStatus: 403, detail: REFUSED_OUTPUT, settings: null, credential: null, shield: 'bfi-wa-us' },
    action: "shield bfi-wa-us refused the fleet check's signed request: most often fleet_key differs between this POP and bfi-wa-us while a key rotation spreads (it settles within minutes: compare fleet_key in canary_secrets and ask again); else that POP's clock is more than 60 s off, or the POP answering for bfi-wa-us is not that shield (runningOn is false there); its log line \"Fleet inner request refused\" says which" },
  { evidence: { reason: 'unexpected_status', httpStatus: 429, detail: 'the shield answered HTTP 429', settings: null, credential: null, shield: 'bfi-wa-us' },
    action: 'shield bfi-wa-us answered the fleet check with HTTP 429 (the shield answered HTTP 429): something in front of the service answers there, or that POP runs a version without the fleet check; compare the versions: npx fastly service-version list' },
  { evidence: { reason: 'unexpected_status', httpStatus: 429, errorCode: 'SlowDown' },
    action: 'the bucket is rate limiting (HTTP 429 SlowDown): raise result_ttl_ms so each POP checks less often, or find what else uses this key' },
  { evidence: { reason: 'unexpected_status', httpStatus: 301, errorCode: 'PermanentRedirect' },
    action: `the bucket redirected (HTTP 301 PermanentRedirect): origin_host (storage.googleapis.com) or url_style (path) does not match the bucket; reproduce: ${VERIFY}` },
  { evidence: { reason: 'unexpected_status', httpStatus: 400, errorCode: 'InvalidArgument' },
    action: `the bucket answered HTTP 400 InvalidArgument: usually a wrong origin_host (storage.googleapis.com), url_style (path) or region (auto); reproduce: ${VERIFY}` },

  { evidence: { reason: 'timeout', target: 'edge', httpStatus: null, detail: 'no complete answer before the deadline' },
    action: "no complete answer from production's hostname within deadline_ms (8000 ms): check production's latency and backend edge's timeouts: npx fastly backend describe --version active --name edge" },
  { evidence: { reason: 'timeout', httpStatus: null, detail: 'no complete answer from the shield within deadline_ms (8000 ms)', settings: null, credential: null, shield: 'bfi-wa-us' },
    action: "shield bfi-wa-us gave no complete answer within deadline_ms: the way to that POP hangs (a shield whose own bucket read hangs answers in time with its own timeout), or it runs a version without the fleet check's shorter inner deadline; production traffic shielded at bfi-wa-us is likely slow or failing too: check https://www.fastlystatus.com and the service's origin latency at that POP" },
  { evidence: { reason: 'timeout', httpStatus: null, attempts: 2, detail: 'no complete answer before the deadline' },
    action: `no complete answer from the bucket within deadline_ms (8000 ms, all 2 attempts): time a direct read: ${VERIFY}; check backend gcs's timeouts: npx fastly backend describe --version active --name gcs` },

  { evidence: { reason: 'connect_failed', target: 'edge', httpStatus: null, detail: 'connect ECONNREFUSED 192.0.2.1:443' },
    action: "could not connect to production's hostname (connect ECONNREFUSED 192.0.2.1:443): check backend edge's address, port and TLS: npx fastly backend describe --version active --name edge" },
  { evidence: { reason: 'connect_failed', httpStatus: null, detail: 'the shield backend failed: NetworkError when attempting to fetch resource.', settings: null, credential: null, shield: 'bfi-wa-us' },
    action: "could not reach shield bfi-wa-us (the shield backend failed: NetworkError when attempting to fetch resource.): Fastly could not route this POP's request to that shield, and production's shielded requests take the same way: check https://www.fastlystatus.com, and that bfi-wa-us is still one of production's shields: npx fastly backend list --version active" },
  { evidence: { reason: 'connect_failed', httpStatus: null, detail: 'NetworkError when attempting to fetch resource.' },
    action: "could not connect to the bucket host (NetworkError when attempting to fetch resource.): check backend gcs's address, port and TLS: npx fastly backend describe --version active --name gcs" },

  { evidence: { reason: 'invalid_content', target: 'edge', detail: 'body is not JSON (512 bytes)' },
    action: 'production served something else than the canary (body is not JSON (512 bytes)): an error page, a redirect target or a rewrite of https://files.example.org/edge-canary/canary.json; look: curl -sS https://files.example.org/edge-canary/canary.json | head -c 300' },
  { evidence: { reason: 'invalid_content', httpStatus: 200, detail: 'HTTP 200 but not a canary report (body is not JSON (12 characters))', settings: null, credential: null, shield: 'bfi-wa-us' },
    action: 'shield bfi-wa-us answered the fleet check with something that is not a canary report (HTTP 200 but not a canary report (body is not JSON (12 characters))): that POP runs another version of the service, or something rewrites its answers; compare the versions: npx fastly service-version list' },
  { evidence: { reason: 'invalid_content', target: 'origin:primary', detail: 'kind is not "edge-canary"', settings: B2 },
    action: 's3://files-b2/edge-canary/canary.json is not a canary (kind is not "edge-canary"): something else wrote it, or a proxy answered for the bucket; look: aws s3 cp s3://files-b2/edge-canary/canary.json - --endpoint-url https://s3.us-east-005.backblazeb2.com | head -c 300; then replace it: npm run upload -- --origins FILE --force (FILE holds canary_config\'s origins list, or use --manifest FILE for a fastly.toml with it; it writes every origin, s3://files-b2/edge-canary/canary.json among them)' },
  { evidence: { reason: 'invalid_content', detail: 'kind is not "edge-canary"' },
    action: `gs://pkg-files/edge-canary/canary.json is not a canary (kind is not "edge-canary"): something else wrote it, or a proxy answered for the bucket; look: gcloud storage cat gs://pkg-files/edge-canary/canary.json | head -c 300; then replace it: ${UPLOAD} --force` },

  { evidence: { reason: 'integrity_mismatch', target: 'edge', detail: 'crc32c 1c291ca3 != x-goog-hash 00000000' },
    action: "production changed the canary's bytes (crc32c 1c291ca3 != x-goog-hash 00000000): a transform (compression, rewriting) runs on https://files.example.org/edge-canary/canary.json; exempt that path from it" },
  { evidence: { reason: 'integrity_mismatch', detail: 'crc32c 1c291ca3 != x-goog-hash 00000000' },
    action: `the body does not match the bucket's checksum (crc32c 1c291ca3 != x-goog-hash 00000000): something between this POP and the bucket alters or truncates bodies; compare a direct read: ${VERIFY}` },

  { evidence: { reason: 'stale', target: 'origin:fallback', ageSeconds: 1234.5, writtenAt: '2026-11-26T00:19:27.000Z', sequence: 1700, settings: S3 },
    action: `the fallback's canary was written 20 min 35 s ago (written_at 2026-11-26T00:19:27.000Z, sequence 1700) while the uploader should write every origin in one tick: it stopped writing this origin or its write credential for it broke; check the uploader's report for origin:fallback ${FALLBACK_NOTE}` },
  { evidence: { reason: 'stale', ageSeconds: 1234.5, writtenAt: '2026-11-26T00:19:27.000Z', sequence: 1734 },
    action: `the canary was written 20 min 35 s ago (written_at 2026-11-26T00:19:27.000Z, sequence 1734): the uploader stopped or its write credential broke (reads still work): check its logs, or write once: ${UPLOAD}` },
  { evidence: { reason: 'future_dated', ageSeconds: -7300, writtenAt: '2026-11-26T02:41:41.000Z', sequence: 9 },
    action: "the canary is dated 2 h 1 min in the future (written_at 2026-11-26T02:41:41.000Z, sequence 9): the uploader's clock is wrong; fix its host's time (timedatectl status, enable NTP)" },

  { evidence: { reason: 'served_from_cache', target: 'edge', detail: 'Age: 31' },
    action: 'production answered the canary from its cache (Age: 31): make production pass https://files.example.org/edge-canary/canary.json (never cache it, never serve it stale), or the canary is blind again' },
  { evidence: { reason: 'served_by_fallback', target: 'edge', detail: 'Fastly-Restarts: 1' },
    action: 'production served the canary through a fallback (Fastly-Restarts: 1): its primary backend is probably failing now; the canary path must never restart onto another backend' },

  { evidence: { reason: 'not_asked', httpStatus: null, settings: null, credential: null, shield: 'bfi-wa-us', pop: 'LHR' },
    action: 'shield bfi-wa-us was not asked: the fleet check could not be shared at POP LHR (its SimpleCache failed, see the log line "SimpleCache failed"), and an unshared fleet check would ask every shield for every request; this POP\'s own check still ran. Ask again after result_ttl_ms; if it persists, check Fastly\'s status (https://www.fastlystatus.com) for that POP' },
  { evidence: { reason: 'misconfigured', httpStatus: null, settings: null, credential: null },
    action: `nothing was fetched: fix each configuration error listed (Config Store canary_config, Secret Store canary_secrets, and the backends: gcs for the flat keys or each origin's own backend in origins, and edge with edge_url), then load /health again` },
];

function rowLabel(row: ActionRow): string {
  return [row.reason, row.errorCode, row.target ?? 'any target', row.when?.says ?? ''].filter(Boolean).join(' / ');
}

describe('action table', () => {
  it('has one test case per row, in table order', () => {
    expect(CASES).toHaveLength(ACTION_TABLE.length);
  });

  it.each(ACTION_TABLE.map((row, index) => ({ row, label: rowLabel(row), ...CASES[index]! })))('$label', ({ row, evidence: overrides, action }) => {
    const seen = evidence(overrides);
    expect(ACTION_TABLE.find((candidate) => rowMatches(candidate, seen)), 'the case selects its own row').toBe(row);
    expect(actionFor(seen)).toBe(action);
  });

  it.each([...REASONS])('%s has an action for any error code, target and condition', (reason) => {
    const fallback = ACTION_TABLE.filter((row) => row.reason === reason && row.errorCode === '*' && !row.target && !row.when);
    expect(fallback, `a last '*' row for ${reason}`).toHaveLength(1);
    expect(ACTION_TABLE.filter((row) => row.reason === reason).at(-1)).toBe(fallback[0]);
    expect(actionFor(evidence({ reason, errorCode: 'SomethingNew', target: 'edge', httpStatus: 418 })).length).toBeGreaterThan(0);
  });

  it('says "none needed" only for ok', () => {
    for (const reason of REASONS) {
      const action = actionFor(evidence({ reason }));
      if (reason === 'ok') expect(action).toBe(NONE_NEEDED);
      else expect(action).not.toContain(NONE_NEEDED);
    }
  });

  it('quotes an object name that a shell would split, so the command still pastes', () => {
    const action = actionFor(evidence({ reason: 'not_found', settings: { ...SETTINGS, object: "it's here/canary.json" } }));
    expect(action).toContain(`npm run upload -- --bucket pkg-files --object 'it'\\''s here/canary.json'`);
  });

  it.each([
    { name: 'B2 primary not_found', evidence: { reason: 'not_found' as const, target: 'origin:primary' as const, httpStatus: 404, settings: B2 } },
    { name: 'R2 primary stale', evidence: { reason: 'stale' as const, target: 'origin:primary' as const, ageSeconds: 1234, settings: R2 } },
    { name: 'S3 invalid_content (--force)', evidence: { reason: 'invalid_content' as const, target: 'origin:primary' as const, detail: 'kind is not "edge-canary"', settings: S3 } },
  ])('$name: the upload command is the every-origin form, since --bucket writes GCS only', ({ evidence: given }) => {
    const action = actionFor(evidence(given));
    expect(action).toMatch(/npm run upload -- --origins FILE( --force)? \(FILE holds canary_config's origins list, or use --manifest FILE for a fastly.toml with it; it writes every origin, s3:\/\/files-\w+\/edge-canary\/canary.json among them\)/);
    expect(action).not.toContain('--bucket');
    expect(action.includes('--force')).toBe(given.reason === 'invalid_content');
  });

  it('names the host, url style and region the check used when they are not the defaults', () => {
    const settings = { ...SETTINGS, signing: 'aws4', originHost: 'minio.internal:9000', urlStyle: 'virtual', region: 'eu-west-1' };
    expect(actionFor(evidence({ reason: 'auth_failed', httpStatus: 403, errorCode: 'SignatureDoesNotMatch', settings }))).toContain(
      'npm run verify -- --bucket pkg-files --object edge-canary/canary.json --signing aws4 --host minio.internal:9000 --url-style virtual --region eu-west-1',
    );
  });
});
