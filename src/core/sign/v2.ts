/** Signature Version 2 (`Authorization: AWS <id>:<signature>`), which GCS accepts for interoperability. */
import { assertValidDate } from './errors';
import { hmac, toBase64 } from './hmac';

export interface SignV2Input {
  method: string;
  contentMd5?: string;
  contentType?: string;
  /** The Date header exactly as sent; empty when an x-amz-date extension header carries the date. */
  date: string;
  /** x-amz-* / x-goog-* headers to sign (CanonicalizedAmzHeaders). */
  extensionHeaders?: Record<string, string>;
  /** CanonicalizedResource: `/<bucket>/<encoded object>` whatever the URL style. */
  resource: string;
  accessId: string;
  secret: string;
}

export interface SignV2Result {
  authorization: string;
  /** For tests only: never log, return or render it (DESIGN section 3). */
  stringToSign: string;
}

function canonicalExtensionHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s*\n\s*/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/** RFC 1123 date for the Date header, e.g. `Tue, 27 Mar 2007 19:36:42 GMT`. */
export function v2Date(date: Date): string {
  assertValidDate(date);
  return date.toUTCString();
}

export async function signV2(input: SignV2Input): Promise<SignV2Result> {
  const stringToSign = [input.method, input.contentMd5 ?? '', input.contentType ?? '', input.date, ''].join('\n')
    + canonicalExtensionHeaders(input.extensionHeaders ?? {})
    + input.resource;
  const signature = toBase64(await hmac('SHA-1', input.secret, stringToSign));
  return { authorization: `AWS ${input.accessId}:${signature}`, stringToSign };
}
