/** How each injected fault answers, on either API. */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32cBase64 } from './crc32c';
import { JsonApiError, XmlApiError, renderJsonError, renderXmlError, xmlCodeForStatus } from './errors';
import type { ActiveFault } from './faults';
import { resetConnection, send } from './http-util';
import { renderS3Error, s3RequestId } from './s3-errors';
import type { EmulatorState } from './state';
import { googHash } from './store';
import type { StoredObject } from './store';

/** Looks like an HTML error page from a broken proxy: not JSON, not the canary. */
export const GARBAGE_BODY = '<html><head><title>Gateway</title></head><body>upstream sent something odd</body></html>\n';

export interface FaultOutcome {
  status: number;
  verdict: string;
}

export interface FaultContext {
  res: ServerResponse;
  state: EmulatorState;
  /** `s3`: an S3-flavoured bucket, answered without any x-goog-* header and with S3-style error bodies. */
  api: 'xml' | 'json' | 's3';
  head: boolean;
  /** The addressed object when it exists, so `garbage` can carry its generation headers. */
  object?: StoredObject;
}

/** Answers with every fault except `corrupt`, which needs a successful read to alter. */
export function answerWithFault(fault: ActiveFault, context: FaultContext): FaultOutcome {
  const { res, state, head } = context;
  switch (fault.type) {
    case 'status':
      return answerStatus(fault.status ?? 503, context);
    case 'hang':
      state.hung.add(res);
      res.on('close', () => state.hung.delete(res));
      return { status: 0, verdict: 'hang' };
    case 'reset':
      resetConnection(res);
      return { status: 0, verdict: 'reset' };
    case 'garbage': {
      const body = Buffer.from(GARBAGE_BODY, 'utf8');
      const md5 = createHash('md5').update(body);
      const headers: Record<string, string> = {
        'Content-Type': context.object?.contentType ?? 'application/json',
        'Cache-Control': context.object?.cacheControl ?? 'no-store, max-age=0',
      };
      if (context.api === 's3') {
        // A consistent ETag for the garbage, so only the body's shape is wrong.
        headers.ETag = `"${md5.digest('hex')}"`;
      } else {
        headers['x-goog-hash'] = googHash(crc32cBase64(body), md5.digest('base64'));
        headers['x-goog-stored-content-length'] = String(body.length);
        headers['x-goog-stored-content-encoding'] = 'identity';
      }
      if (context.object && context.api !== 's3') {
        headers['x-goog-generation'] = String(context.object.generation);
        headers['x-goog-metageneration'] = String(context.object.metageneration);
      }
      send(res, 200, headers, body, head);
      return { status: 200, verdict: 'garbage' };
    }
    case 'corrupt':
      throw new Error('corrupt faults are applied to a successful read, not answered here');
  }
}

function answerStatus(status: number, { res, api, head, object }: FaultContext): FaultOutcome {
  if (api === 'json') {
    const error = new JsonApiError(status, status >= 500 ? 'backendError' : 'injectedFault', `Injected fault: HTTP ${status}.`);
    send(res, status, { 'Content-Type': 'application/json; charset=UTF-8' }, renderJsonError(error), head);
    return { status, verdict: error.reason };
  }
  const error = new XmlApiError(status, xmlCodeForStatus(status), `Injected fault: HTTP ${status}.`);
  const body = api === 's3' ? renderS3Error(error, s3RequestId(), object ? { bucket: object.bucket, key: object.name } : {}) : renderXmlError(error);
  send(res, status, { 'Content-Type': 'application/xml; charset=UTF-8' }, body, head);
  return { status, verdict: error.code };
}

/**
 * The same length with one byte changed, keeping JSON valid where possible (a digit becomes
 * another digit), so the only thing wrong is the checksum.
 */
export function corruptBytes(data: Buffer): Buffer {
  const altered = Buffer.from(data);
  if (altered.length === 0) return Buffer.from('corrupt', 'utf8');
  let index = -1;
  for (let i = altered.length - 1; i >= 0; i--) {
    const byte = altered[i] ?? 0;
    if (byte >= 0x30 && byte <= 0x39) {
      index = i;
      break;
    }
  }
  if (index === -1) {
    const last = altered.length - 1;
    altered[last] = (altered[last] ?? 0) ^ 0x01;
    return altered;
  }
  const digit = altered[index] ?? 0x30;
  altered[index] = digit === 0x39 ? 0x38 : digit + 1;
  return altered;
}
