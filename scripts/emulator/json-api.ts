/**
 * JSON API subset used by @google-cloud/storage 7: uploads, bucket and object metadata, media
 * downloads, deletes, listing. Paths are served both with `/storage/v1` (apiEndpoint) and without
 * it (STORAGE_EMULATOR_HOST). Any bearer token, or none, is accepted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadEncodingError, percentDecode } from './canonical';
import { JsonApiError, renderJsonError } from './errors';
import { answerWithFault, corruptBytes } from './fault-responses';
import { BodyTooLargeError, readBody, send, sendJson } from './http-util';
import type { RequestTarget } from './http-util';
import { handleUpload } from './json-upload';
import { bucketResource, objectHeaders, objectResource } from './representation';
import type { LogEntry } from './request-log';
import type { EmulatorState } from './state';
import type { Preconditions } from './store';

const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

type JsonRoute =
  | { kind: 'upload'; bucket: string }
  | { kind: 'bucket'; bucket: string }
  | { kind: 'objects'; bucket: string }
  | { kind: 'object'; bucket: string; object: string; download: boolean };

export function isJsonApiPath(rawPath: string): boolean {
  return /^\/(storage\/v1|upload\/storage\/v1|download\/storage\/v1)(\/|$)/.test(rawPath) || /^\/b(\/|$)/.test(rawPath);
}

function routeOf(rawPath: string): JsonRoute | null {
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o\/?$/.exec(rawPath);
  if (upload) return { kind: 'upload', bucket: percentDecode(upload[1] ?? '', 'bucket name') };
  const download = rawPath.startsWith('/download/storage/v1/');
  const rest = rawPath.replace(/^\/(download\/)?storage\/v1(?=\/)/, '');
  const match = /^\/b\/([^/]+)(?:\/(o)(?:\/(.+))?)?\/?$/.exec(rest);
  if (!match) return null;
  const bucket = percentDecode(match[1] ?? '', 'bucket name');
  if (match[3] !== undefined) return { kind: 'object', bucket, object: percentDecode(match[3], 'object name'), download };
  return match[2] ? { kind: 'objects', bucket } : { kind: 'bucket', bucket };
}

const notAllowed = (allow: string): JsonApiError => new JsonApiError(405, 'methodNotAllowed', `Method not allowed here; use ${allow}.`);
const noSuchBucket = (): JsonApiError => new JsonApiError(404, 'notFound', 'The specified bucket does not exist.');
const preconditionFailed = (): JsonApiError => new JsonApiError(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');

function preconditionsOf(query: URLSearchParams): Preconditions {
  const result: Preconditions = {};
  for (const key of ['ifGenerationMatch', 'ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'] as const) {
    const value = query.get(key);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw new JsonApiError(400, 'invalid', `Invalid argument for ${key}: ${value}`);
    result[key] = Number(value);
  }
  return result;
}

export async function handleJsonApi(req: IncomingMessage, res: ServerResponse, target: RequestTarget, state: EmulatorState): Promise<void> {
  const method = req.method ?? 'GET';
  const entry: LogEntry = { time: state.realTimeIso(), method, path: target.rawPath, host: req.headers.host ?? '', auth: 'json', verdict: 'ok', status: 200 };
  try {
    // Read the whole body first so an early error never races the client's upload.
    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req, MAX_UPLOAD_BYTES) : Buffer.alloc(0);
    const route = routeOf(target.rawPath);
    if (!route) throw new JsonApiError(404, 'notFound', `Not a JSON API path the emulator serves: ${target.rawPath}`);
    entry.bucket = route.bucket;
    if (route.kind === 'object') entry.object = route.object;
    const fault = state.faults.take({ objectRead: false, phase: 'request', bucket: route.bucket });
    if (fault) {
      state.log.add({ ...entry, ...answerWithFault(fault, { res, state, api: 'json', head: method === 'HEAD' }), fault: fault.type });
      return;
    }
    const query = new URLSearchParams(target.rawQuery);
    const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
    const preconditions = preconditionsOf(query);
    switch (route.kind) {
      case 'upload': {
        if (method !== 'POST') throw notAllowed('POST');
        const stored = handleUpload({ req, body, bucket: route.bucket, query, preconditions }, state);
        entry.object = stored.name;
        sendJson(res, 200, objectResource(stored, baseUrl));
        break;
      }
      case 'bucket': {
        if (method !== 'GET') throw notAllowed('GET');
        const bucket = state.store.bucket(route.bucket);
        if (!bucket) throw noSuchBucket();
        sendJson(res, 200, bucketResource(bucket, baseUrl));
        break;
      }
      case 'objects': {
        if (method !== 'GET') throw notAllowed('GET (uploads go to /upload/storage/v1/b/:bucket/o)');
        if (!state.store.bucket(route.bucket)) throw noSuchBucket();
        const items = state.store.listObjects(route.bucket, query.get('prefix') ?? '').map((o) => objectResource(o, baseUrl));
        sendJson(res, 200, items.length === 0 ? { kind: 'storage#objects' } : { kind: 'storage#objects', items });
        break;
      }
      case 'object':
        objectRequest(res, method, route, query, preconditions, state, baseUrl, entry);
        return;
    }
    state.log.add(entry);
  } catch (error) {
    const apiError = toJsonApiError(error);
    send(res, apiError.status, { 'Content-Type': 'application/json; charset=UTF-8' }, renderJsonError(apiError));
    state.log.add({ ...entry, verdict: apiError.reason, status: apiError.status });
  }
}

function toJsonApiError(error: unknown): JsonApiError {
  if (error instanceof JsonApiError) return error;
  if (error instanceof BadEncodingError) return new JsonApiError(400, 'invalid', error.message);
  if (error instanceof BodyTooLargeError) return new JsonApiError(413, 'uploadTooLarge', error.message);
  throw error;
}

function objectRequest(
  res: ServerResponse,
  method: string,
  route: { bucket: string; object: string; download: boolean },
  query: URLSearchParams,
  preconditions: Preconditions,
  state: EmulatorState,
  baseUrl: string,
  entry: LogEntry,
): void {
  if (method !== 'GET' && method !== 'DELETE') throw notAllowed('GET or DELETE');
  if (!state.store.bucket(route.bucket)) throw noSuchBucket();
  const stored = state.store.object(route.bucket, route.object);
  const generation = query.get('generation');
  if (!stored || (generation !== null && generation !== String(stored.generation))) {
    throw new JsonApiError(404, 'notFound', `No such object: ${route.bucket}/${route.object}`);
  }
  const { ifGenerationNotMatch, ifMetagenerationNotMatch, ...mustMatch } = preconditions;
  const notModified = ifGenerationNotMatch === stored.generation || ifMetagenerationNotMatch === stored.metageneration;
  if ((mustMatch.ifGenerationMatch !== undefined && mustMatch.ifGenerationMatch !== stored.generation)
    || (mustMatch.ifMetagenerationMatch !== undefined && mustMatch.ifMetagenerationMatch !== stored.metageneration)
    || (method === 'DELETE' && notModified)) {
    throw preconditionFailed();
  }
  if (notModified) {
    send(res, 304, {}, '');
    state.log.add({ ...entry, verdict: 'notModified', status: 304 });
    return;
  }
  if (method === 'DELETE') {
    state.store.removeObject(route.bucket, route.object);
    send(res, 204, {}, '');
    state.log.add({ ...entry, status: 204 });
    return;
  }
  if (route.download || query.get('alt') === 'media') {
    const corrupt = state.faults.take({ objectRead: false, phase: 'media', bucket: route.bucket }) !== undefined;
    send(res, 200, objectHeaders(stored), corrupt ? corruptBytes(stored.data) : stored.data);
    state.log.add({ ...entry, ...(corrupt ? { verdict: 'corrupt', fault: 'corrupt' } : {}) });
    return;
  }
  sendJson(res, 200, objectResource(stored, baseUrl));
  state.log.add(entry);
}
