/**
 * The S3 XML API of S3-flavoured buckets (AWS S3, Backblaze B2, Cloudflare R2): PUT, GET and HEAD
 * of objects, path and virtual-host style, SigV4 only, each provider's error semantics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadEncodingError, headerValue } from './canonical';
import { XmlApiError } from './errors';
import { answerWithFault, corruptBytes } from './fault-responses';
import { BodyTooLargeError, headerList, readBody, send } from './http-util';
import type { RequestTarget } from './http-util';
import { missingObjectIsAccessDenied } from './providers';
import type { BucketFlavour, S3Provider } from './providers';
import type { LogEntry } from './request-log';
import { verifyS3Request } from './s3-auth';
import { decodeS3Body } from './s3-body';
import { checksumHeaderName } from './s3-checksums';
import { readConditionStatus, writeConditionError } from './s3-conditions';
import { renderS3Error, s3Errors, s3RequestId } from './s3-errors';
import { amzMetadata, s3ObjectHeaders } from './s3-representation';
import type { EmulatorState } from './state';
import { xmlEtag } from './store';
import { addressOf } from './xml-api';
import type { Address } from './xml-api';

const XML_CONTENT_TYPE = 'application/xml';
/** The canary is a few hundred bytes; a larger PUT is a mistake, not a use case. */
const MAX_PUT_BYTES = 16 * 1024 * 1024;

interface S3Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  flavour: BucketFlavour & { provider: S3Provider };
  address: Address;
  entry: LogEntry;
  requestId: string;
  head: boolean;
}

function answerError(x: S3Exchange, error: XmlApiError, extraHeaders: Record<string, string> = {}): void {
  const body = renderS3Error(error, x.requestId, { bucket: x.address.bucket, key: x.address.object });
  send(x.res, error.status, { 'Content-Type': XML_CONTENT_TYPE, 'x-amz-request-id': x.requestId, ...extraHeaders }, body, x.head);
  x.state.log.add({ ...x.entry, verdict: error.code, status: error.status });
}

export async function handleS3Api(
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  state: EmulatorState,
  virtualBucket: string | null,
  flavour: BucketFlavour & { provider: S3Provider },
): Promise<void> {
  const method = req.method ?? 'GET';
  const entry: LogEntry = { time: state.realTimeIso(), method, path: target.rawPath, host: req.headers.host ?? '', auth: 'none', verdict: 'ok', status: 200 };
  const x: S3Exchange = { req, res, state, flavour, address: { bucket: '', object: '' }, entry, requestId: s3RequestId(), head: method === 'HEAD' };
  try {
    x.address = addressOf(target.rawPath, virtualBucket);
  } catch (error) {
    if (error instanceof BadEncodingError) return answerError(x, s3Errors.invalidArgument(`Invalid URI: ${error.message}.`));
    throw error;
  }
  if (x.address.bucket) entry.bucket = x.address.bucket;
  if (x.address.object) entry.object = x.address.object;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') {
    return answerError(x, new XmlApiError(405, 'MethodNotAllowed', `The specified method is not allowed against this resource: the emulator serves GET, HEAD and PUT of objects, not ${method}.`), { Allow: 'GET, HEAD, PUT' });
  }
  if (!x.address.bucket || !x.address.object) {
    return answerError(x, s3Errors.notImplemented("The emulator's S3 API serves objects only: GET, HEAD or PUT /<bucket>/<key>."));
  }

  const stored = state.store.object(x.address.bucket, x.address.object);
  const fault = state.faults.take({ objectRead: method !== 'PUT', phase: 'request', bucket: x.address.bucket });
  if (fault) {
    const outcome = answerWithFault(fault, { res, state, api: 's3', head: x.head, ...(stored ? { object: stored } : {}) });
    state.log.add({ ...entry, ...outcome, fault: fault.type });
    return;
  }

  const received = { method, rawPath: target.rawPath, rawQuery: target.rawQuery, headers: headerList(req) };
  const auth = verifyS3Request(received, flavour, { lookupSecret: (id) => state.keys.secretFor(id), nowMs: state.now(), virtualHostBucket: virtualBucket });
  entry.auth = auth.scheme;
  if (auth.accessId) entry.accessId = auth.accessId;
  if (auth.error) return answerError(x, auth.error);

  const bucket = state.store.bucket(x.address.bucket);
  if (!bucket) return answerError(x, s3Errors.noSuchBucket());
  const anonymous = auth.scheme === 'none';
  if (method === 'PUT') {
    if (anonymous) return answerError(x, s3Errors.accessDenied());
    return putObject(x, received.headers, auth.payloadHash ?? 'UNSIGNED-PAYLOAD');
  }
  if (anonymous && !bucket.publicRead) return answerError(x, s3Errors.accessDenied());
  if (!stored) return answerError(x, missingObjectIsAccessDenied(flavour) ? s3Errors.accessDenied() : s3Errors.noSuchKey());

  const condition = readConditionStatus(received.headers, stored);
  if (condition === 412) return answerError(x, s3Errors.preconditionFailed('If-Match'));
  if (condition === 304) {
    send(res, 304, { ETag: xmlEtag(stored), 'x-amz-request-id': x.requestId }, '', true);
    state.log.add({ ...entry, verdict: 'NotModified', status: 304 });
    return;
  }
  const checksumMode = (headerValue(received.headers, 'x-amz-checksum-mode') ?? '').trim().toUpperCase() === 'ENABLED';
  const corrupt = !x.head && state.faults.take({ objectRead: true, phase: 'media', bucket: x.address.bucket }) !== undefined;
  const headers = { ...s3ObjectHeaders(stored, checksumMode), 'x-amz-request-id': x.requestId };
  send(res, 200, headers, corrupt ? corruptBytes(stored.data) : stored.data, x.head);
  state.log.add({ ...entry, verdict: corrupt ? 'corrupt' : 'ok', status: 200, ...(corrupt ? { fault: 'corrupt' } : {}) });
}

/** Content-Encoding without the `aws-chunked` transfer marker, which S3 does not store. */
function storedEncoding(value: string | undefined): string | undefined {
  const kept = (value ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e !== 'aws-chunked');
  return kept.length === 0 ? undefined : kept.join(', ');
}

async function putObject(x: S3Exchange, headers: ReturnType<typeof headerList>, payloadHash: string): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(x.req, MAX_PUT_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return answerError(x, s3Errors.entityTooLarge(MAX_PUT_BYTES));
    throw error;
  }
  const decoded = decodeS3Body(raw, headers, payloadHash);
  if (!decoded.ok) return answerError(x, decoded.error);
  // Evaluated when the upload completes, as S3 does, so a racing writer in between is caught.
  const conflict = writeConditionError(headers, x.state.store.object(x.address.bucket, x.address.object));
  if (conflict) return answerError(x, conflict);

  const contentEncoding = storedEncoding(headerValue(headers, 'content-encoding'));
  const cacheControl = headerValue(headers, 'cache-control');
  const contentDisposition = headerValue(headers, 'content-disposition');
  const metadata = amzMetadata(headers);
  const { data, writtenChecksum } = decoded.body;
  const stored = x.state.store.putObject(x.address.bucket, x.address.object, data, {
    contentType: headerValue(headers, 'content-type') ?? 'binary/octet-stream',
    ...(cacheControl !== undefined ? { cacheControl } : {}),
    ...(contentEncoding !== undefined ? { contentEncoding } : {}),
    ...(contentDisposition !== undefined ? { contentDisposition } : {}),
    ...(metadata ? { metadata } : {}),
    ...(writtenChecksum ? { writtenChecksum } : {}),
  });
  const answer: Record<string, string> = { ETag: xmlEtag(stored), 'x-amz-request-id': x.requestId };
  if (writtenChecksum) {
    answer[checksumHeaderName(writtenChecksum.algorithm)] = writtenChecksum.value;
    answer['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  send(x.res, 200, answer, '');
  x.state.log.add({ ...x.entry, verdict: 'ok', status: 200 });
}
