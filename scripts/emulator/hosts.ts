/** Path style or virtual-host style: which bucket, if any, the Host header names. */

/** Hosts that name no bucket themselves; one more label in front of them is a bucket. */
const BASE_HOSTNAMES = ['storage.googleapis.com', 'localhost', '127.0.0.1'];

function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

/** `my-bucket.storage.googleapis.com` → `my-bucket`; a base host (any port) or an unknown host → null. */
export function virtualHostBucket(host: string | undefined): string | null {
  if (!host) return null;
  const hostname = hostnameOf(host);
  for (const base of BASE_HOSTNAMES) {
    if (hostname.endsWith(`.${base}`)) {
      const bucket = hostname.slice(0, -(base.length + 1));
      return bucket === '' ? null : bucket;
    }
  }
  return null;
}
