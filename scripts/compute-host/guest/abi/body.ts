/** fastly_http_body (Viceroy's body_impl.rs). */
import { Body } from '../body';
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

const WRITE_END_FRONT = 1;

export function bodyModule(session: Session): AbiModule {
  const { memory, handles } = session;
  return {
    new(out: number) {
      memory.u32(out, handles.add({ kind: 'body', body: Body.local() }));
      return Status.ok;
    },
    read(h: number, buf: number, len: number, nreadOut: number) {
      const entry = handles.get(h, 'body');
      if (entry === undefined || !entry.body.readable) return Status.badf;
      const { body } = entry;
      session.waitUntil(() => body.isReady());
      const chunk = body.take(len >>> 0);
      if (chunk.byteLength === 0 && body.error !== null) {
        // Viceroy: an early close is an incomplete message; a stall the between-bytes timeout cut is an error.
        return /closed|reset|terminated/i.test(body.error) ? Status.httpincomplete : Status.error;
      }
      memory.write(buf, chunk);
      memory.u32(nreadOut, chunk.byteLength);
      return Status.ok;
    },
    write(h: number, ptr: number, len: number, end: number, nwOut: number) {
      const entry = handles.get(h, 'body');
      if (entry === undefined) return Status.badf;
      const { body } = entry;
      const chunk = memory.bytes(ptr, len);
      if (end === WRITE_END_FRONT) {
        if (body.kind !== 'local') return Status.badf;
        body.writeFront(chunk);
      } else {
        if (body.kind === 'remote' || body.kind === 'readback') return Status.badf;
        body.writeBack(chunk);
      }
      memory.u32(nwOut, chunk.byteLength);
      return Status.ok;
    },
    append(dest: number, src: number) {
      const target = handles.get(dest, 'body');
      const source = handles.get(src, 'body');
      if (target === undefined || source === undefined || !source.body.readable || dest === src) return Status.badf;
      if (target.body.kind === 'remote' || target.body.kind === 'readback') return Status.badf;
      for (;;) {
        session.waitUntil(() => source.body.isReady());
        const chunk = source.body.take(1 << 20);
        if (chunk.byteLength === 0) break;
        target.body.writeBack(chunk);
      }
      handles.delete(src);
      return source.body.error === null ? Status.ok : Status.error;
    },
    close(h: number) {
      const entry = handles.get(h, 'body');
      if (entry === undefined) return Status.badf;
      session.abortStream(entry.body);
      entry.body.finish(true);
      handles.delete(h);
      return Status.ok;
    },
    abandon(h: number) {
      const entry = handles.get(h, 'body');
      if (entry === undefined) return Status.badf;
      session.abortStream(entry.body);
      entry.body.finish(false);
      handles.delete(h);
      return Status.ok;
    },
    known_length(h: number, out: number) {
      const entry = handles.get(h, 'body');
      if (entry === undefined) return Status.badf;
      const { body } = entry;
      const length = body.kind === 'local' ? body.queuedLength() : body.knownLength;
      if (length === null || body.kind === 'sink' || body.kind === 'readback') return Status.none;
      memory.u64(out, BigInt(length));
      return Status.ok;
    },
  };
}
