/** JSON API simple uploads: `uploadType=multipart` (JSON metadata + media) and `uploadType=media`. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { crc32cBase64 } from './crc32c';
import { JsonApiError } from './errors';
import { MultipartError, boundaryOf, parseMultipart } from './multipart';
import type { EmulatorState } from './state';
import { preconditionsHold } from './store';
import type { ObjectMetadataInput, Preconditions, StoredObject } from './store';

export interface UploadRequest {
  req: IncomingMessage;
  body: Buffer;
  bucket: string;
  query: URLSearchParams;
  preconditions: Preconditions;
}

interface UploadContent {
  name: string | null;
  data: Buffer;
  metadata: ObjectMetadataInput;
  /** Checksums the client declared; GCS refuses the upload when they do not match. */
  declared: { crc32c?: string; md5Hash?: string };
}

const invalid = (message: string): JsonApiError => new JsonApiError(400, 'invalid', message);

function stringField(resource: Record<string, unknown>, key: string): string | undefined {
  const value = resource[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid value for ${key}: expected a string.`);
  return value;
}

function customMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Invalid value for metadata: expected an object.');
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function multipartContent(request: UploadRequest): UploadContent {
  const boundary = boundaryOf(request.req.headers['content-type']);
  if (!boundary) throw invalid('uploadType=multipart needs a multipart/related body with a boundary.');
  let parts;
  try {
    parts = parseMultipart(request.body, boundary);
  } catch (error) {
    if (error instanceof MultipartError) throw invalid(`Malformed multipart body: ${error.message}.`);
    throw error;
  }
  const [metaPart, mediaPart] = parts;
  if (!metaPart || !mediaPart || parts.length !== 2) throw invalid('A multipart upload has exactly two parts: metadata, then media.');
  let resource: unknown;
  try {
    resource = JSON.parse(metaPart.body.toString('utf8') || '{}');
  } catch {
    throw invalid('The metadata part is not valid JSON.');
  }
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) throw invalid('The metadata part must be a JSON object.');
  const fields = resource as Record<string, unknown>;
  const metadata: ObjectMetadataInput = {};
  const contentType = stringField(fields, 'contentType') ?? mediaPart.headers['content-type'];
  if (contentType !== undefined) metadata.contentType = contentType;
  for (const key of ['cacheControl', 'contentEncoding', 'contentDisposition'] as const) {
    const value = stringField(fields, key);
    if (value !== undefined) metadata[key] = value;
  }
  const custom = customMetadata(fields.metadata);
  if (custom) metadata.metadata = custom;
  const declared: UploadContent['declared'] = {};
  const crc32c = stringField(fields, 'crc32c');
  const md5Hash = stringField(fields, 'md5Hash');
  if (crc32c !== undefined) declared.crc32c = crc32c;
  if (md5Hash !== undefined) declared.md5Hash = md5Hash;
  return { name: stringField(fields, 'name') ?? request.query.get('name'), data: Buffer.from(mediaPart.body), metadata, declared };
}

function mediaContent(request: UploadRequest): UploadContent {
  const contentType = request.req.headers['content-type'];
  return { name: request.query.get('name'), data: request.body, metadata: contentType ? { contentType } : {}, declared: {} };
}

export function handleUpload(request: UploadRequest, state: EmulatorState): StoredObject {
  const uploadType = request.query.get('uploadType');
  if (uploadType === 'resumable') {
    throw new JsonApiError(501, 'notImplemented', 'The emulator does not support resumable uploads; upload with resumable: false.');
  }
  if (uploadType !== 'multipart' && uploadType !== 'media') throw invalid('uploadType must be multipart or media.');
  if (!state.store.bucket(request.bucket)) throw new JsonApiError(404, 'notFound', 'The specified bucket does not exist.');
  const content = uploadType === 'multipart' ? multipartContent(request) : mediaContent(request);
  if (!content.name) throw new JsonApiError(400, 'required', 'Required parameter: name');
  const current = state.store.object(request.bucket, content.name);
  if (!preconditionsHold(current, request.preconditions)) {
    throw new JsonApiError(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
  }
  const md5Hash = createHash('md5').update(content.data).digest('base64');
  if ((content.declared.crc32c !== undefined && content.declared.crc32c !== crc32cBase64(content.data))
    || (content.declared.md5Hash !== undefined && content.declared.md5Hash !== md5Hash)) {
    throw invalid('The provided checksum does not match the data received.');
  }
  return state.store.putObject(request.bucket, content.name, content.data, content.metadata);
}
