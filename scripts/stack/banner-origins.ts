/**
 * The banner's lines for a stack whose config lists `origins`: each origin with its key, then how
 * to break each one (the exact command, which origins it breaks, with each provider's own answer,
 * and the verdict /health gives for it) and how to mend it.
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

const isPrimary = (origin: BannerOrigin): boolean => origin.target === 'origin:primary';

/** A rotated secret as each store answers it: R2 says 401 Unauthorized to every bad credential. */
function rotatedSecretAnswer(origin: BannerOrigin): string {
  return origin.provider === 'r2' ? 'auth_failed (401 Unauthorized)' : 'auth_failed (403 SignatureDoesNotMatch)';
}

/** A missing object: GCS and R2 say 404; S3 and B2 (and the emulator's provider other, served as S3) say 403 AccessDenied to a key that may not list. */
function missingObjectAnswer(origin: BannerOrigin): string {
  if (origin.provider === 'gcs' || origin.provider === 'r2') return 'not_found (404 NoSuchKey)';
  const store = origin.provider === 'other' ? 'the emulator serves provider other as AWS S3, which answers' : `${STORE_NAMES[origin.provider] ?? 'the store'} answers`;
  return `auth_failed (403 AccessDenied: ${store} so for a missing object to a key that may not list the bucket)`;
}

/**
 * What /health answers once `broken` fail: 503 when the primary is among them, else 200 warn
 * naming them (production reads a fallback only once the primary fails).
 */
export function breakVerdict(broken: readonly BannerOrigin[]): string {
  if (broken.some(isPrimary)) return '/health answers 503 fail, Statuspage major_outage';
  const names = broken.map((o) => o.target).join(' and ');
  return `/health answers 200 warn naming ${names}, Statuspage operational: users are unaffected while the primary works`;
}

/** "origin:primary auth_failed (403 SignatureDoesNotMatch) and origin:fallback auth_failed (401 Unauthorized)". */
function effects(broken: readonly BannerOrigin[], answer: (origin: BannerOrigin) => string): string {
  return broken.map((o) => `${o.target} ${answer(o)}`).join(' and ');
}

export interface OriginsBannerInput {
  origins: readonly BannerOrigin[];
  emulatorUrl: string;
  /** e.g. `30 s`. */
  uploaderEvery: string;
}

export function originLines(origins: readonly BannerOrigin[]): string[] {
  const width = Math.max(...origins.map((o) => originUrl(o).length));
  return origins.map((origin) => `  ${origin.target.slice('origin:'.length).padEnd(9)}  ${originUrl(origin).padEnd(width)}   ${describeStore(origin)}`);
}

function rotationLines(origin: BannerOrigin, origins: readonly BannerOrigin[], control: string): string[] {
  if (origin.accessId === null) return [];
  // Origins that share a credential break together: rotating the key breaks every one of them.
  const broken = origins.filter((o) => o.accessId === origin.accessId);
  const others = broken.filter((o) => o !== origin).map((o) => o.target);
  const shared = others.length === 0 ? '' : ` (key ${origin.accessId} is ${others.join(' and ')}'s too)`;
  return [
    `  # its secret rotated${isPrimary(origin) ? ', the June 2022 incident' : ''}${shared}: ${effects(broken, rotatedSecretAnswer)}; ${breakVerdict(broken)}`,
    `  curl -s -XPOST ${control}/keys/rotate -d '{"accessId":"${origin.accessId}"}'`,
  ];
}

export function breakAndMendLines(input: OriginsBannerInput): string[] {
  const control = `${input.emulatorUrl}/_emulator`;
  const lines: string[] = [];
  for (const origin of input.origins) {
    const sameObject = input.origins.filter((o) => o.bucket === origin.bucket && o.object === origin.object && o.provider === origin.provider);
    const sameBucket = input.origins.filter((o) => o.bucket === origin.bucket);
    // The uploader's conditional write to an S3-compatible bucket starts with a GET, which the fault answers too.
    const writesFail = origin.provider === 'gcs' ? '' : `; the uploader's writes to it fail too while the fault lasts (its conditional write starts with a GET)`;
    lines.push(
      `Break ${isPrimary(origin) ? 'the primary' : origin.target} (${originUrl(origin)}):`,
      ...rotationLines(origin, input.origins, control),
      `  # its object deleted: ${effects(sameObject, missingObjectAnswer)} until the uploader's next write; ${breakVerdict(sameObject)}`,
      `  curl -s -XDELETE ${control}/objects/${encodeURIComponent(origin.bucket)}/${encodeURIComponent(origin.object)}`,
      `  # it answers 503: ${effects(sameBucket, () => 'origin_error (503)')}; ${breakVerdict(sameBucket)}${writesFail}`,
      `  curl -s -XPOST ${control}/faults -d '{"type":"status","status":503,"bucket":"${origin.bucket}"}'`,
    );
  }
  lines.push(
    'Mend:',
    `  curl -s -XPOST ${control}/keys/restore   # every secret back`,
    `  curl -s -XDELETE ${control}/faults   # no more 503s; the uploader's next write (every ${input.uploaderEvery}) lands again`,
    `  # a deleted object is back with the uploader's next write (every ${input.uploaderEvery})`,
  );
  return lines;
}
