/**
 * Verifies the signature of an XML API request against the configured HMAC keys, the way GCS
 * does: key lookup, 15-minute clock window, then the signature over what was actually received.
 * Written independently of src/core/sign on purpose: sharing code would hide a shared bug.
 */
import { BadEncodingError, headerValue, parseBasicIsoTimestamp, parseRequestDate } from './canonical';
import type { ReceivedRequest } from './canonical';
import { XmlApiError, xmlErrors } from './errors';
import { checkV2Signature, isV2Authorization, parseV2Authorization } from './verify-v2';
import { MalformedAuthorizationError, checkV4Signature, isV4Authorization, parseV4Authorization, sha256Hex } from './verify-v4';
import type { V4Authorization } from './verify-v4';

export type AuthScheme = 'goog4' | 'aws4' | 'v2-aws' | 'v2-goog1' | 'none' | 'invalid';

export const SKEW_WINDOW_MS = 15 * 60 * 1000;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_BODY_SHA256 = sha256Hex('');
const V4_SERVICES = new Set(['storage', 's3']);

export interface VerifyContext {
  /** The secret for an access id, or undefined when the id is unknown. */
  lookupSecret(accessId: string): string | undefined;
  /** The emulator's clock, including any injected offset. */
  nowMs: number;
  /** The bucket named by the Host header, or null for path-style requests. */
  virtualHostBucket: string | null;
}

export interface AuthOutcome {
  scheme: AuthScheme;
  accessId?: string;
  /** Null when the request is signed correctly, or not signed at all (scheme `none`). */
  error: XmlApiError | null;
}

export function authSchemeOf(authorization: string | undefined): AuthScheme {
  if (authorization === undefined || authorization.trim() === '') return 'none';
  if (authorization.startsWith('GOOG4-HMAC-SHA256 ')) return 'goog4';
  if (authorization.startsWith('AWS4-HMAC-SHA256 ')) return 'aws4';
  if (authorization.startsWith('GOOG1 ')) return 'v2-goog1';
  if (authorization.startsWith('AWS ')) return 'v2-aws';
  return 'invalid';
}

export function verifySignedRequest(request: ReceivedRequest, context: VerifyContext): AuthOutcome {
  const authorization = headerValue(request.headers, 'authorization');
  const scheme = authSchemeOf(authorization);
  if (scheme === 'none' || authorization === undefined) return { scheme: 'none', error: null };
  try {
    if (isV4Authorization(authorization)) return verifyV4(request, parseV4Authorization(authorization), scheme, context);
    if (isV2Authorization(authorization)) return verifyV2(request, authorization, scheme, context);
    return { scheme, error: xmlErrors.invalidArgument('Unsupported Authorization scheme.') };
  } catch (error) {
    if (error instanceof MalformedAuthorizationError || error instanceof BadEncodingError) {
      return { scheme, error: xmlErrors.invalidArgument(`Malformed Authorization: ${error.message}.`) };
    }
    throw error;
  }
}

function signatureMismatch(extra: ReadonlyArray<readonly [string, string]>): XmlApiError {
  return new XmlApiError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.',
    extra,
  );
}

function skewError(requestMs: number, nowMs: number): XmlApiError | null {
  return Math.abs(requestMs - nowMs) > SKEW_WINDOW_MS ? xmlErrors.tooSkewed() : null;
}

function verifyV4(request: ReceivedRequest, auth: V4Authorization, scheme: AuthScheme, context: VerifyContext): AuthOutcome {
  const isGoog = auth.algorithm === 'GOOG4-HMAC-SHA256';
  const fail = (error: XmlApiError): AuthOutcome => ({ scheme, accessId: auth.accessId, error });
  const terminator = isGoog ? 'goog4_request' : 'aws4_request';
  if (auth.terminator !== terminator) return fail(xmlErrors.invalidArgument(`Credential scope must end in ${terminator}.`));
  if (!V4_SERVICES.has(auth.service)) return fail(xmlErrors.invalidArgument('Credential scope service must be "storage" or "s3".'));
  if (!auth.signedHeaders.includes('host')) return fail(xmlErrors.invalidArgument('SignedHeaders must include host.'));

  const secret = context.lookupSecret(auth.accessId);
  if (secret === undefined) return fail(xmlErrors.invalidAccessKeyId());

  const dateHeaders = isGoog ? ['x-goog-date', 'x-amz-date'] : ['x-amz-date', 'x-goog-date'];
  const timestamp = dateHeaders.map((h) => headerValue(request.headers, h)).find((v) => v !== undefined)?.trim();
  const requestMs = timestamp === undefined ? null : parseBasicIsoTimestamp(timestamp);
  if (timestamp === undefined || requestMs === null) {
    return fail(xmlErrors.accessDenied(`V4 signing requires a valid ${dateHeaders[0]} header (YYYYMMDDTHHMMSSZ).`));
  }
  if (!timestamp.startsWith(auth.date)) return fail(xmlErrors.invalidArgument('Credential scope date does not match the request date.'));
  const skewed = skewError(requestMs, context.nowMs);
  if (skewed) return fail(skewed);

  const declared = headerValue(request.headers, isGoog ? 'x-goog-content-sha256' : 'x-amz-content-sha256')
    ?? headerValue(request.headers, isGoog ? 'x-amz-content-sha256' : 'x-goog-content-sha256');
  // Without a declared payload hash both conventions are legitimate for a bodiless GET.
  const payloadHashes = declared !== undefined ? [declared.trim()] : isGoog ? [UNSIGNED_PAYLOAD, EMPTY_BODY_SHA256] : [EMPTY_BODY_SHA256, UNSIGNED_PAYLOAD];
  const check = checkV4Signature(request, auth, secret, timestamp, payloadHashes);
  if (check.ok) return { scheme, accessId: auth.accessId, error: null };
  return fail(signatureMismatch([['StringToSign', check.stringToSign], ['CanonicalRequest', check.canonicalRequest]]));
}

function verifyV2(request: ReceivedRequest, authorization: string, scheme: AuthScheme, context: VerifyContext): AuthOutcome {
  const auth = parseV2Authorization(authorization);
  const fail = (error: XmlApiError): AuthOutcome => ({ scheme, accessId: auth.accessId, error });
  const secret = context.lookupSecret(auth.accessId);
  if (secret === undefined) return fail(xmlErrors.invalidAccessKeyId());

  const dateText = ['x-goog-date', 'x-amz-date', 'date'].map((h) => headerValue(request.headers, h)).find((v) => v !== undefined);
  const requestMs = dateText === undefined ? null : parseRequestDate(dateText);
  if (requestMs === null) return fail(xmlErrors.accessDenied('V2 signing requires a valid Date, x-goog-date or x-amz-date header.'));
  const skewed = skewError(requestMs, context.nowMs);
  if (skewed) return fail(skewed);

  const check = checkV2Signature(request, auth, secret, context.virtualHostBucket);
  if (check.ok) return { scheme, accessId: auth.accessId, error: null };
  return fail(signatureMismatch([['StringToSign', check.stringToSign]]));
}
