/**
 * The pieces of a request that signatures cover, canonicalized from what was actually received
 * (raw path, raw query, raw header lines), never from what a client library meant to send.
 */

/** Header lines as received, in order, names as sent. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

export interface ReceivedRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  rawPath: string;
  /** The query as received, without `?`; '' when there is none. */
  rawQuery: string;
  headers: HeaderList;
}

export class BadEncodingError extends Error {
  constructor(what: string) {
    super(`${what} is not valid percent-encoding`);
    this.name = 'BadEncodingError';
  }
}

export function percentDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadEncodingError(what);
  }
}

/** RFC 3986 unreserved characters stay, everything else is %XX with uppercase hex. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every value of one header, case-insensitively, in the order received. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/** Trim and collapse inner whitespace, as both V4 and V2 canonical headers require. */
export function normalizeHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * S3/GCS style: each segment decoded once and re-encoded once (no double encoding), with an
 * encoded slash treated like a literal one.
 */
export function canonicalUriV4(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  const segments = rawPath.split('/').map((segment) => encodeRfc3986(percentDecode(segment, 'path')));
  const joined = segments.join('/').replace(/%2F/g, '/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** Query parameters sorted by encoded name, then encoded value; `+` read as a space. */
export function canonicalQueryV4(rawQuery: string, exclude: ReadonlySet<string> = new Set()): string {
  const pairs: Array<[string, string]> = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const name = percentDecode(rawName.replace(/\+/g, ' '), 'query');
    if (exclude.has(name)) continue;
    pairs.push([encodeRfc3986(name), encodeRfc3986(percentDecode(rawValue.replace(/\+/g, ' '), 'query'))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name:value` lines for the signed headers; a signed header that is absent counts as empty. */
export function canonicalHeadersV4(headers: HeaderList, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => `${name}:${headerValues(headers, name).map(normalizeHeaderValue).join(',')}\n`)
    .join('');
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms, or null. */
export function parseBasicIsoTimestamp(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? null : ms;
}

/** An HTTP date (RFC 1123) or a basic ISO timestamp → epoch ms, or null. */
export function parseRequestDate(text: string): number | null {
  const iso = parseBasicIsoTimestamp(text.trim());
  if (iso !== null) return iso;
  if (!/[A-Za-z]{3},? /.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
