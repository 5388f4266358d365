/**
 * SigV4 for S3-flavoured buckets: what S3 checks before the signature (algorithm, service,
 * region, the mandatory x-amz-content-sha256), then the shared verifier, then the provider's wording.
 */
import { headerValue } from './canonical';
import type { ReceivedRequest } from './canonical';
import { XmlApiError } from './errors';
import { acceptedRegions } from './providers';
import type { BucketFlavour, S3Provider } from './providers';
import { providerAuthError, s3Errors } from './s3-errors';
import { authSchemeOf, verifySignedRequest } from './verify-signature';
import type { AuthScheme, VerifyContext } from './verify-signature';
import { MalformedAuthorizationError, parseV4Authorization } from './verify-v4';

export interface S3AuthOutcome {
  scheme: AuthScheme;
  accessId?: string;
  /** The declared x-amz-content-sha256 of a signed request (the body is checked against it later). */
  payloadHash?: string;
  error: XmlApiError | null;
}

function malformed(message: string): XmlApiError {
  return new XmlApiError(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`);
}

/** Checks that need the parsed scope; null when they pass (or the header is left to the verifier to reject). */
function scopeError(authorization: string, flavour: BucketFlavour): XmlApiError | null {
  let scope;
  try {
    scope = parseV4Authorization(authorization);
  } catch (error) {
    if (error instanceof MalformedAuthorizationError) return malformed(`${error.message}.`);
    throw error;
  }
  if (scope.service !== 's3') return malformed(`incorrect service '${scope.service}'. This endpoint belongs to 's3'.`);
  const regions = acceptedRegions(flavour);
  if (regions && !regions.includes(scope.region)) return s3Errors.wrongRegion(scope.region, regions[0] ?? '');
  return null;
}

export function verifyS3Request(request: ReceivedRequest, flavour: BucketFlavour & { provider: S3Provider }, context: VerifyContext): S3AuthOutcome {
  const authorization = headerValue(request.headers, 'authorization');
  const scheme = authSchemeOf(authorization);
  if (scheme === 'none' || authorization === undefined) return { scheme: 'none', error: null };
  if (scheme !== 'aws4') {
    return { scheme, error: s3Errors.invalidArgument('Unsupported Authorization Type: S3-compatible stores take AWS4-HMAC-SHA256 (SigV4) only.') };
  }
  const scoped = scopeError(authorization, flavour);
  if (scoped) return { scheme, error: scoped };
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256')?.trim();
  if (payloadHash === undefined) return { scheme, error: s3Errors.invalidRequest('Missing required header for this request: x-amz-content-sha256') };
  const outcome = verifySignedRequest(request, context);
  const result: S3AuthOutcome = { scheme, payloadHash, error: outcome.error ? providerAuthError(flavour.provider, outcome.error) : null };
  if (outcome.accessId !== undefined) result.accessId = outcome.accessId;
  return result;
}
