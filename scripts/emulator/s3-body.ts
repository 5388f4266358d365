/**
 * The body of an S3 PUT as the AWS SDK sends it: plain with a SHA-256 payload hash or
 * UNSIGNED-PAYLOAD, or `aws-chunked` with trailing checksums (STREAMING-UNSIGNED-PAYLOAD-TRAILER,
 * what @aws-sdk/client-s3 sends for a stream body). Checked the way S3 checks it: payload hash,
 * decoded length, Content-MD5 and the one declared `x-amz-checksum-*`.
 */
import { createHash } from 'node:crypto';
import type { HeaderList } from './canonical';
import { headerValue } from './canonical';
import type { XmlApiError } from './errors';
import { s3Errors } from './s3-errors';
import { algorithmOfHeader, computeChecksum, isChecksumValueHeader } from './s3-checksums';
import type { WrittenChecksum } from './store';

export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const SIGNED_STREAMING = /^STREAMING-(AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256)-PAYLOAD(-TRAILER)?$/;

export interface DecodedBody {
  data: Buffer;
  writtenChecksum?: WrittenChecksum;
}

export type BodyOutcome = { ok: true; body: DecodedBody } | { ok: false; error: XmlApiError };

const fail = (error: XmlApiError): BodyOutcome => ({ ok: false, error });

/** An `aws-chunked` body: `hex-size[;ext]\r\n data \r\n` … `0\r\n` trailer lines `\r\n`. */
function decodeAwsChunked(raw: Buffer): { data: Buffer; trailers: Array<[string, string]> } | null {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at, 'latin1');
    if (lineEnd === -1) return null;
    const sizeText = raw.subarray(at, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return null;
    const size = Number.parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > raw.length || raw.subarray(at + size, at + size + 2).toString('latin1') !== '\r\n') return null;
    chunks.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Array<[string, string]> = [];
  for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon === -1) return null;
    trailers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { data: Buffer.concat(chunks), trailers };
}

function contentOf(raw: Buffer, headers: HeaderList, payloadHash: string): { data: Buffer; checksumFields: Array<[string, string]> } | XmlApiError {
  const headerChecksums = headers.filter(([name]) => isChecksumValueHeader(name)).map(([n, v]): [string, string] => [n, v]);
  if (SIGNED_STREAMING.test(payloadHash)) {
    return s3Errors.notImplemented(`The emulator does not verify signed chunks (${payloadHash}); the AWS SDK sends ${STREAMING_UNSIGNED_TRAILER} or a payload hash by default.`);
  }
  const chunked = (headerValue(headers, 'content-encoding') ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
  if (payloadHash === STREAMING_UNSIGNED_TRAILER || chunked) {
    const decoded = decodeAwsChunked(raw);
    if (!decoded) return s3Errors.invalidRequest('The aws-chunked body is malformed: expected hex-size lines, chunk data and trailer lines.');
    const declaredLength = headerValue(headers, 'x-amz-decoded-content-length');
    if (declaredLength === undefined) return s3Errors.invalidRequest('An aws-chunked upload needs x-amz-decoded-content-length.');
    if (Number(declaredLength) !== decoded.data.length) return s3Errors.incompleteBody();
    const expectedTrailers = (headerValue(headers, 'x-amz-trailer') ?? '').split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
    for (const name of expectedTrailers) {
      if (!decoded.trailers.some(([n]) => n.toLowerCase() === name)) return s3Errors.invalidRequest(`The trailer ${name} announced in x-amz-trailer is missing from the body.`);
    }
    return { data: decoded.data, checksumFields: [...headerChecksums, ...decoded.trailers.filter(([n]) => isChecksumValueHeader(n))] };
  }
  if (/^[0-9a-f]{64}$/i.test(payloadHash)) {
    if (createHash('sha256').update(raw).digest('hex') !== payloadHash.toLowerCase()) return s3Errors.contentSha256Mismatch();
  } else if (payloadHash !== 'UNSIGNED-PAYLOAD') {
    return s3Errors.invalidArgument(`x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or ${STREAMING_UNSIGNED_TRAILER}, not "${payloadHash}".`);
  }
  return { data: raw, checksumFields: headerChecksums };
}

/** Checks the decoded content against Content-MD5 and the declared checksum; the checksum is kept for reads. */
export function decodeS3Body(raw: Buffer, headers: HeaderList, payloadHash: string): BodyOutcome {
  const content = contentOf(raw, headers, payloadHash);
  if (!('data' in content)) return fail(content);
  const { data, checksumFields } = content;
  const md5 = headerValue(headers, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(data).digest('base64') !== md5.trim()) return fail(s3Errors.badDigest('Content-MD5'));
  if (checksumFields.length > 1) return fail(s3Errors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.'));
  const field = checksumFields[0];
  if (!field) return { ok: true, body: { data } };
  const algorithm = algorithmOfHeader(field[0]);
  if (!algorithm) return fail(s3Errors.invalidRequest(`The emulator does not compute ${field[0]}; use CRC32, CRC32C, SHA1 or SHA256.`));
  if (computeChecksum(algorithm, data) !== field[1]) return fail(s3Errors.badDigest(algorithm));
  return { ok: true, body: { data, writtenChecksum: { algorithm, value: field[1] } } };
}
