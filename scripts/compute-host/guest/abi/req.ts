/** fastly_http_req: request heads, the downstream request, backend requests (Viceroy's req_impl.rs). */
import { Body } from '../body';
import { HeaderList, newRequestHead } from '../http-head';
import type { Session } from '../session';
import { Status } from '../status';
import { utf8Bytes } from '../memory';
import { headFactCalls, headerCalls } from './headers';
import type { AbiModule } from './hostcall';
import { finishPendingRequest, startBackendRequest } from './send';
import { downstreamInfoCalls } from './downstream';

const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CONTENT_ENCODING_GZIP = 1;

export function reqModule(session: Session): AbiModule {
  const { memory, handles } = session;
  const head = (h: number) => handles.get(h, 'request')?.head;
  let downstreamTaken = false;

  const legacyDownstream = downstreamInfoCalls(session);
  const sendAsync = (h: number, b: number, bp: number, bl: number, out: number) => {
    const started = startBackendRequest(session, h, b, memory.string(bp, bl));
    if (typeof started === 'number') return started;
    memory.u32(out, handles.add({ kind: 'pending', pending: started }));
    return Status.ok;
  };
  return {
    ...headerCalls(session, (h) => head(h)?.headers),
    ...headFactCalls(session, head),
    body_downstream_get(reqOut: number, bodyOut: number) {
      if (downstreamTaken) return Status.error;
      downstreamTaken = true;
      const { request } = session.job;
      const requestHead = { ...newRequestHead(), method: request.method, uri: request.url, headers: HeaderList.from(request.headers) };
      memory.u32(reqOut, handles.add({ kind: 'request', head: requestHead }));
      memory.u32(bodyOut, handles.add({ kind: 'body', body: Body.local(request.body) }));
      return Status.ok;
    },
    new(out: number) {
      memory.u32(out, handles.add({ kind: 'request', head: newRequestHead() }));
      return Status.ok;
    },
    close(h: number) {
      return handles.get(h, 'request') !== undefined && handles.delete(h) ? Status.ok : Status.badf;
    },
    method_get(h: number, buf: number, max: number, nwPtr: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      return memory.writeBounded(buf, max, utf8Bytes(request.method), nwPtr) ? Status.ok : Status.buflen;
    },
    method_set(h: number, ptr: number, len: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      const method = memory.string(ptr, len);
      if (!METHOD.test(method)) return Status.inval;
      request.method = method;
      return Status.ok;
    },
    uri_get(h: number, buf: number, max: number, nwPtr: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      return memory.writeBounded(buf, max, utf8Bytes(request.uri), nwPtr) ? Status.ok : Status.buflen;
    },
    uri_set(h: number, ptr: number, len: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      const uri = memory.string(ptr, len);
      if (!URL.canParse(uri) && !uri.startsWith('/')) return Status.inval;
      request.uri = uri;
      return Status.ok;
    },
    cache_override_set(h: number, tag: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      request.cacheOverride = tag;
      return Status.ok;
    },
    cache_override_v2_set(h: number, tag: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      request.cacheOverride = tag;
      return Status.ok;
    },
    auto_decompress_response_set(h: number, encodings: number) {
      const request = head(h);
      if (request === undefined) return Status.badf;
      request.autoDecompressGzip = (encodings & CONTENT_ENCODING_GZIP) !== 0;
      return Status.ok;
    },
    send_async: (h: number, b: number, bp: number, bl: number, out: number) => sendAsync(h, b, bp, bl, out),
    send_async_v2(h: number, b: number, bp: number, bl: number, streaming: number, out: number) {
      if (streaming !== 0) {
        session.unsupported('fastly_http_req::send_async_v2(streaming)', 'streaming request bodies are not implemented, answered "unsupported"');
        return Status.unsupported;
      }
      return sendAsync(h, b, bp, bl, out);
    },
    send(h: number, b: number, bp: number, bl: number, respOut: number, bodyOut: number) {
      const started = startBackendRequest(session, h, b, memory.string(bp, bl));
      if (typeof started === 'number') return started;
      return finishPendingRequest(session, handles.add({ kind: 'pending', pending: started }), null, respOut, bodyOut);
    },
    send_v2(h: number, b: number, bp: number, bl: number, detail: number, respOut: number, bodyOut: number) {
      const started = startBackendRequest(session, h, b, memory.string(bp, bl));
      if (typeof started === 'number') return started;
      return finishPendingRequest(session, handles.add({ kind: 'pending', pending: started }), detail, respOut, bodyOut);
    },
    pending_req_wait(h: number, respOut: number, bodyOut: number) {
      return finishPendingRequest(session, h, null, respOut, bodyOut);
    },
    pending_req_wait_v2(h: number, detail: number, respOut: number, bodyOut: number) {
      return finishPendingRequest(session, h, detail, respOut, bodyOut);
    },
    pending_req_poll(h: number, doneOut: number, respOut: number, bodyOut: number) {
      const entry = handles.get(h, 'pending');
      if (entry === undefined) return Status.badf;
      session.channel.drain();
      if (entry.pending.state === 'waiting') {
        memory.u32(doneOut, 0);
        return Status.ok;
      }
      memory.u32(doneOut, 1);
      return finishPendingRequest(session, h, null, respOut, bodyOut);
    },
    downstream_client_ip_addr: legacyDownstream.downstream_client_ip_addr_legacy,
    downstream_server_ip_addr: legacyDownstream.downstream_server_ip_addr_legacy,
  };
}
