/** Starting a backend request (send_async and friends) and waiting for its response. */
import type { SendErrorTag } from '../../protocol';
import { concat } from '../body';
import type { Body } from '../body';
import type { PendingRequest, Session } from '../session';
import { Status } from '../status';
import type { StatusCode } from '../status';

/** send_error_detail_tag values of compute-at-edge.witx. */
const SEND_ERROR_TAGS: Record<SendErrorTag, number> = {
  dns_error: 3,
  destination_not_found: 4,
  connection_refused: 7,
  connection_terminated: 8,
  connection_timeout: 9,
  tls_certificate_error: 11,
  http_incomplete_response: 13,
  http_response_timeout: 16,
  internal_error: 22,
};
const SEND_ERROR_OK = 1;
const CACHE_OVERRIDE_PASS = 1;

export function startBackendRequest(session: Session, reqHandle: number, bodyHandle: number, backend: string): StatusCode | PendingRequest {
  const request = session.handles.get(reqHandle, 'request');
  const bodyEntry = session.handles.get(bodyHandle, 'body');
  if (request === undefined || bodyEntry === undefined || !bodyEntry.body.readable) return Status.badf;
  const dynamic = session.dynamicBackends.get(backend) ?? null;
  if (dynamic === null && !session.job.backends.some((b) => b.name === backend)) return Status.inval;
  if (!URL.canParse(request.head.uri) || !/^https?:$/.test(new URL(request.head.uri).protocol)) return Status.httpuser;
  if (session.backendRequests >= session.job.limits.backendRequests) {
    session.log('stderr', `compute-host: backend request ${session.backendRequests + 1} refused: Compute allows ${session.job.limits.backendRequests} per request (limitexceeded)`);
    return Status.limitexceeded;
  }
  const body = readWhole(session, bodyEntry.body);
  if (body === null) return Status.error;
  session.handles.delete(reqHandle);
  session.handles.delete(bodyHandle);
  session.backendRequests += 1;
  const pending: PendingRequest = { id: session.newId(), state: 'waiting', response: null, body: null, tag: null, message: null };
  session.pendings.set(pending.id, pending);
  const { head } = request;
  if ((head.cacheOverride & CACHE_OVERRIDE_PASS) === 0) {
    session.unsupported('fastly_http_req::send (cache)', 'the local host has no HTTP cache: backend requests always go to the backend, as with a pass');
  }
  session.channel.post({
    type: 'send',
    jobId: session.job.id,
    pendingId: pending.id,
    backend,
    dynamic,
    request: {
      method: head.method,
      url: head.uri,
      headers: head.headers.toPairs(),
      body: body.byteLength === 0 && (head.method === 'GET' || head.method === 'HEAD') ? null : body,
      autoDecompressGzip: head.autoDecompressGzip,
    },
  });
  return pending;
}

/** The whole content of a body; a remote body is waited for. Null when its backend failed. */
export function readWhole(session: Session, body: Body): Uint8Array | null {
  if (body.kind === 'local') return body.drainAll();
  const chunks: Uint8Array[] = [];
  for (;;) {
    session.waitUntil(() => body.isReady());
    const chunk = body.take(1 << 20);
    if (chunk.byteLength > 0) {
      chunks.push(chunk);
      continue;
    }
    if (body.error !== null) return null;
    return concat(chunks);
  }
}

/** Blocks until the response (or failure) of a pending request; writes the guest's outs. */
export function finishPendingRequest(session: Session, handle: number, detailPtr: number | null, respOut: number, bodyOut: number): StatusCode {
  const entry = session.handles.get(handle, 'pending');
  if (entry === undefined) return Status.badf;
  const { pending } = entry;
  session.waitUntil(() => pending.state !== 'waiting');
  session.handles.delete(handle);
  session.pendings.delete(pending.id);
  if (pending.state === 'error' || pending.response === null || pending.body === null) {
    if (detailPtr !== null) writeDetail(session, detailPtr, SEND_ERROR_TAGS[pending.tag ?? 'internal_error']);
    return Status.error;
  }
  if (detailPtr !== null) writeDetail(session, detailPtr, SEND_ERROR_OK);
  session.memory.u32(respOut, session.handles.add({ kind: 'response', head: pending.response }));
  session.memory.u32(bodyOut, session.handles.add({ kind: 'body', body: pending.body }));
  return Status.ok;
}

/** send_error_detail: tag u8, mask u8 (no optional fields set), rcode u16, info u16, alert u8. */
function writeDetail(session: Session, ptr: number, tag: number): void {
  session.memory.u8(ptr, tag);
  session.memory.u8(ptr + 1, 0);
}
