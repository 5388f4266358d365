/** Path style or virtual-host style: which bucket, if any, the Host header names. */

/** Hosts that name no bucket themselves; one more label in front of them is a bucket. */
const BASE_HOSTNAMES = ['storage.googleapis.com', 'localhost', '127.0.0.1'];

/**
 * S3-compatible endpoints, each `(bucket.)?base`: AWS (`s3.amazonaws.com`, `s3.REGION.amazonaws.com`,
 * `s3-REGION`, dualstack), Backblaze B2 (`s3.REGION.backblazeb2.com`) and Cloudflare R2
 * (`ACCOUNT.r2.cloudflarestorage.com`, with an optional `eu`/`fedramp` jurisdiction).
 * The bucket part is lazy so a dotted bucket name still leaves the whole endpoint as the base.
 */
const S3_HOST_PATTERNS = [
  /^(?:(.+?)\.)?(s3(?:[.-](?:dualstack\.)?[a-z0-9-]+)?\.amazonaws\.com)$/,
  /^(?:(.+?)\.)?(s3\.[a-z0-9-]+\.backblazeb2\.com)$/,
  /^(?:(.+?)\.)?((?!(?:eu|fedramp)\.)[a-z0-9-]+(?:\.(?:eu|fedramp))?\.r2\.cloudflarestorage\.com)$/,
];

function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

function s3HostMatch(hostname: string): RegExpExecArray | null {
  for (const pattern of S3_HOST_PATTERNS) {
    const match = pattern.exec(hostname);
    if (match) return match;
  }
  return null;
}

/** `my-bucket.storage.googleapis.com`, `my-bucket.s3.us-west-2.amazonaws.com` → `my-bucket`; a base host (any port) or an unknown host → null. */
export function virtualHostBucket(host: string | undefined): string | null {
  if (!host) return null;
  const hostname = hostnameOf(host);
  const s3 = s3HostMatch(hostname);
  if (s3) return s3[1] ?? null;
  for (const base of BASE_HOSTNAMES) {
    if (hostname.endsWith(`.${base}`)) {
      const bucket = hostname.slice(0, -(base.length + 1));
      return bucket === '' ? null : bucket;
    }
  }
  return null;
}

/** True for an AWS S3, B2 or R2 endpoint (path or virtual-host style). */
export function isS3Host(host: string | undefined): boolean {
  return host !== undefined && s3HostMatch(hostnameOf(host)) !== null;
}
