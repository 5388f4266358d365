/**
 * Command lines an operator can paste to reproduce or repair what a check saw: the verifier with the
 * same settings, the uploader for the same object. Built from the settings the check ran with, so
 * they name the real bucket, object and signing scheme, never a placeholder.
 */
import type { ProbeSettings } from './types';

const DEFAULT_ORIGIN_HOST = 'storage.googleapis.com';

/** `npm run verify -- --bucket B --object O --signing S`, plus the settings that differ from the defaults. */
export function verifyCommand(settings: ProbeSettings): string {
  const words = ['npm run verify --', '--bucket', shellWord(settings.bucket), '--object', shellWord(settings.object), '--signing', shellWord(settings.signing)];
  if (settings.originHost !== DEFAULT_ORIGIN_HOST) words.push('--host', shellWord(settings.originHost));
  if (settings.urlStyle !== 'path') words.push('--url-style', shellWord(settings.urlStyle));
  if (settings.region !== 'auto') words.push('--region', shellWord(settings.region));
  // An S3-compatible store's answers are read with its own semantics only when the verifier is told.
  if (isS3Compatible(settings)) words.push('--provider', shellWord(settings.provider ?? ''));
  return words.join(' ');
}

/**
 * `npm run upload -- --bucket B --object O` for GCS; for an S3-compatible store the every-origin
 * form, as `--bucket` writes GCS only (with `--force` to replace an object that is not a canary).
 */
export function uploadCommand(settings: ProbeSettings, options: { force?: boolean } = {}): string {
  const force = options.force ? ['--force'] : [];
  if (isS3Compatible(settings)) {
    const command = ['npm run upload --', '--origins', 'FILE', ...force].join(' ');
    return `${command} (FILE holds canary_config's origins list, or use --manifest FILE for a fastly.toml with it; it writes every origin, ${objectUrl(settings)} among them)`;
  }
  return ['npm run upload --', '--bucket', shellWord(settings.bucket), '--object', shellWord(settings.object), ...force].join(' ');
}

function isS3Compatible(settings: ProbeSettings): boolean {
  return settings.provider !== undefined && settings.provider !== 'gcs';
}

/** `gs://bucket/object` on GCS, `s3://bucket/object` on an S3-compatible store (as the aws CLI names it). */
export function objectUrl(settings: ProbeSettings): string {
  const scheme = isS3Compatible(settings) ? 's3' : 'gs';
  return `${scheme}://${settings.bucket}/${settings.object}`;
}

/** One word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
