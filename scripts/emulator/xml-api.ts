/** XML API: signed GET and HEAD of objects, path style and virtual-host style. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadEncodingError, percentDecode } from './canonical';
import { XmlApiError, renderXmlError, xmlErrors } from './errors';
import { answerWithFault, corruptBytes } from './fault-responses';
import { headerList, send } from './http-util';
import type { RequestTarget } from './http-util';
import type { LogEntry } from './request-log';
import type { EmulatorState } from './state';
import { objectHeaders } from './representation';
import { verifySignedRequest } from './verify-signature';

const XML_CONTENT_TYPE = 'application/xml; charset=UTF-8';

export interface Address {
  bucket: string;
  object: string;
}

/** `/bucket/object` (or `/object` when the Host names the bucket); the object name is the decoded rest. */
export function addressOf(rawPath: string, virtualBucket: string | null): Address {
  const rest = rawPath.slice(1);
  if (virtualBucket !== null) return { bucket: virtualBucket, object: percentDecode(rest, 'object name') };
  const slash = rest.indexOf('/');
  const bucketPart = slash === -1 ? rest : rest.slice(0, slash);
  const objectPart = slash === -1 ? '' : rest.slice(slash + 1);
  return { bucket: percentDecode(bucketPart, 'bucket name'), object: percentDecode(objectPart, 'object name') };
}

export function handleXmlApi(req: IncomingMessage, res: ServerResponse, target: RequestTarget, state: EmulatorState, virtualBucket: string | null): void {
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  const entry: LogEntry = { time: state.realTimeIso(), method, path: target.rawPath, host: req.headers.host ?? '', auth: 'none', verdict: 'ok', status: 200 };
  const answerError = (error: XmlApiError, extraHeaders: Record<string, string> = {}): void => {
    send(res, error.status, { 'Content-Type': XML_CONTENT_TYPE, ...extraHeaders }, renderXmlError(error), head);
    state.log.add({ ...entry, verdict: error.code, status: error.status });
  };

  let address: Address;
  try {
    address = addressOf(target.rawPath, virtualBucket);
  } catch (error) {
    if (error instanceof BadEncodingError) return answerError(xmlErrors.invalidArgument(`Invalid URI: ${error.message}.`));
    throw error;
  }
  if (address.bucket) entry.bucket = address.bucket;
  if (address.object) entry.object = address.object;
  if (method !== 'GET' && method !== 'HEAD') {
    return answerError(new XmlApiError(405, 'MethodNotAllowed', `The emulator's XML API serves GET and HEAD only, not ${method}.`), { Allow: 'GET, HEAD' });
  }
  if (!address.bucket || !address.object) {
    return answerError(new XmlApiError(501, 'NotImplemented', "The emulator's XML API serves object reads only: GET or HEAD /<bucket>/<object>."));
  }

  const stored = state.store.object(address.bucket, address.object);
  const fault = state.faults.take({ objectRead: true, phase: 'request', bucket: address.bucket });
  if (fault) {
    const outcome = answerWithFault(fault, { res, state, api: 'xml', head, ...(stored ? { object: stored } : {}) });
    state.log.add({ ...entry, ...outcome, fault: fault.type });
    return;
  }

  const received = { method, rawPath: target.rawPath, rawQuery: target.rawQuery, headers: headerList(req) };
  const auth = verifySignedRequest(received, {
    lookupSecret: (id) => state.keys.secretFor(id),
    nowMs: state.now(),
    virtualHostBucket: virtualBucket,
  });
  entry.auth = auth.scheme;
  if (auth.accessId) entry.accessId = auth.accessId;
  if (auth.error) return answerError(auth.error);

  const bucket = state.store.bucket(address.bucket);
  if (auth.scheme === 'none' && !bucket?.publicRead) return answerError(xmlErrors.accessDenied());
  if (!bucket) return answerError(xmlErrors.noSuchBucket());
  const wantedGeneration = new URLSearchParams(target.rawQuery).get('generation');
  if (!stored || (wantedGeneration !== null && wantedGeneration !== String(stored.generation))) {
    return answerError(xmlErrors.noSuchKey());
  }

  const corrupt = !head && state.faults.take({ objectRead: true, phase: 'media', bucket: address.bucket }) !== undefined;
  send(res, 200, objectHeaders(stored), corrupt ? corruptBytes(stored.data) : stored.data, head);
  state.log.add({ ...entry, verdict: corrupt ? 'corrupt' : 'ok', status: 200, ...(corrupt ? { fault: 'corrupt' } : {}) });
}
