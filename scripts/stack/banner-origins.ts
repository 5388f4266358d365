/**
 * The banner's lines for a stack with several buckets: each origin with its key, then how to break
 * each one (the exact command, and the verdict /health gives for it) and how to mend it.
 */
import type { OriginSummary } from './stack-origins';

/** The stack's description of each bucket (scripts/stack/stack-origins.ts). */
export type BannerOrigin = OriginSummary;

const STORE_NAMES: Record<string, string> = { gcs: 'GCS', s3: 'AWS S3', b2: 'Backblaze B2', r2: 'Cloudflare R2', other: 'S3-compatible' };

export function originUrl(origin: BannerOrigin): string {
  return `${origin.provider === 'gcs' ? 'gs' : 's3'}://${origin.bucket}/${origin.object}`;
}

function describeStore(origin: BannerOrigin): string {
  const store = STORE_NAMES[origin.provider] ?? origin.provider;
  const where = origin.region === 'auto' ? store : `${store} ${origin.region}`;
  return `${where}, ${origin.accessId === null ? 'unsigned' : `key ${origin.accessId}`}`;
}

/** What the canary answers for a missing object: GCS and R2 say 404; S3 and B2 say 403 AccessDenied to a key that may not list. */
function missingObjectVerdict(origin: BannerOrigin): string {
  if (origin.provider === 'gcs' || origin.provider === 'r2') return 'not_found (404 NoSuchKey)';
  return `auth_failed (403 AccessDenied: ${STORE_NAMES[origin.provider] ?? 'the store'}'s answer for a missing object to a key that may not list the bucket)`;
}

export interface OriginsBannerInput {
  origins: readonly BannerOrigin[];
  emulatorUrl: string;
  /** e.g. `within 5 s (result_ttl_ms)` or `at once`. */
  waitHint: string;
  /** e.g. `30 s`. */
  uploaderEvery: string;
}

export function originLines(origins: readonly BannerOrigin[]): string[] {
  const width = Math.max(...origins.map((o) => originUrl(o).length));
  return origins.map((origin) => `  ${origin.target.slice('origin:'.length).padEnd(9)}  ${originUrl(origin).padEnd(width)}   ${describeStore(origin)}`);
}

export function breakAndMendLines(input: OriginsBannerInput): string[] {
  const control = `${input.emulatorUrl}/_emulator`;
  const lines: string[] = [];
  for (const origin of input.origins) {
    const primary = origin.target === 'origin:primary';
    lines.push(primary
      ? `Break the primary (${input.waitHint} /health answers 503 fail, Statuspage major_outage):`
      : `Break ${origin.target} (${input.waitHint} /health answers 200 warn naming it: users are unaffected until the primary fails):`);
    if (origin.accessId !== null) {
      lines.push(
        `  # its secret rotated${primary ? ', the June 2022 incident' : ''}: ${origin.target} auth_failed (SignatureDoesNotMatch)`,
        `  curl -s -XPOST ${control}/keys/rotate -d '{"accessId":"${origin.accessId}"}'`,
      );
    }
    lines.push(
      `  # its object deleted: ${origin.target} ${missingObjectVerdict(origin)}, until the uploader's next write`,
      `  curl -s -XDELETE ${control}/objects/${encodeURIComponent(origin.bucket)}/${encodeURIComponent(origin.object)}`,
      `  # it answers 503: ${origin.target} origin_error`,
      `  curl -s -XPOST ${control}/faults -d '{"type":"status","status":503,"bucket":"${origin.bucket}"}'`,
    );
  }
  lines.push(
    'Mend:',
    `  curl -s -XPOST ${control}/keys/restore   # every secret back`,
    `  curl -s -XDELETE ${control}/faults   # no more 503s`,
    `  # a deleted object is back with the uploader's next write (every ${input.uploaderEvery})`,
  );
  return lines;
}
