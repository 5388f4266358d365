/** Header hostcalls, shared by fastly_http_req and fastly_http_resp (Viceroy's headers.rs). */
import { isHeaderName, isHeaderValue } from '../http-head';
import type { HeaderList } from '../http-head';
import type { Session } from '../session';
import { Status } from '../status';
import { writeMultiValue } from './hostcall';
import type { AbiModule } from './hostcall';

const latin1 = new TextDecoder('latin1');

export function headerCalls(session: Session, headersOf: (handle: number) => HeaderList | undefined): AbiModule {
  const { memory } = session;
  const nameAt = (ptr: number, len: number): string | null => {
    const name = latin1.decode(memory.bytes(ptr, len));
    return isHeaderName(name) ? name : null;
  };
  return {
    header_names_get(h: number, buf: number, bufLen: number, cursor: number, endPtr: number, nwPtr: number) {
      const headers = headersOf(h);
      if (headers === undefined) return Status.badf;
      const names = headers.names().map((name) => new TextEncoder().encode(name));
      return writeMultiValue(memory, names, buf, bufLen, cursor, endPtr, nwPtr);
    },
    header_values_get(h: number, np: number, nl: number, buf: number, bufLen: number, cursor: number, endPtr: number, nwPtr: number) {
      const headers = headersOf(h);
      if (headers === undefined) return Status.badf;
      const name = nameAt(np, nl);
      if (name === null) return Status.inval;
      return writeMultiValue(memory, headers.values(name), buf, bufLen, cursor, endPtr, nwPtr);
    },
    header_value_get(h: number, np: number, nl: number, buf: number, max: number, nwPtr: number) {
      const headers = headersOf(h);
      if (headers === undefined) return Status.badf;
      const name = nameAt(np, nl);
      if (name === null) return Status.inval;
      const first = headers.values(name)[0];
      if (first === undefined) return Status.none;
      return memory.writeBounded(buf, max, first, nwPtr) ? Status.ok : Status.buflen;
    },
    header_insert(h: number, np: number, nl: number, vp: number, vl: number) {
      return change(h, np, nl, vp, vl, (headers, name, value) => headers.insert(name, value));
    },
    header_append(h: number, np: number, nl: number, vp: number, vl: number) {
      return change(h, np, nl, vp, vl, (headers, name, value) => headers.append(name, value));
    },
    header_values_set(h: number, np: number, nl: number, vp: number, vl: number) {
      const headers = headersOf(h);
      if (headers === undefined) return Status.badf;
      const name = nameAt(np, nl);
      if (name === null) return Status.inval;
      const values = splitNul(memory.bytes(vp, vl));
      if (!values.every(isHeaderValue)) return Status.inval;
      headers.set(name, values);
      return Status.ok;
    },
    header_remove(h: number, np: number, nl: number) {
      const headers = headersOf(h);
      if (headers === undefined) return Status.badf;
      const name = nameAt(np, nl);
      if (name === null) return Status.inval;
      // Viceroy answers `inval` for a header that was not there; the guest treats that as done.
      return headers.remove(name) ? Status.ok : Status.inval;
    },
  };

  function change(h: number, np: number, nl: number, vp: number, vl: number, apply: (headers: HeaderList, name: string, value: Uint8Array) => void): number {
    const headers = headersOf(h);
    if (headers === undefined) return Status.badf;
    const name = nameAt(np, nl);
    const value = memory.bytes(vp, vl);
    if (name === null || !isHeaderValue(value)) return Status.inval;
    apply(headers, name, value);
    return Status.ok;
  }
}

/** version_get/version_set and framing_headers_mode_set, the same on requests and responses. */
export function headFactCalls(session: Session, headOf: (handle: number) => { version: number } | undefined): AbiModule {
  const { memory } = session;
  return {
    version_get(h: number, out: number) {
      const head = headOf(h);
      if (head === undefined) return Status.badf;
      memory.u32(out, head.version);
      return Status.ok;
    },
    version_set(h: number, version: number) {
      const head = headOf(h);
      if (head === undefined) return Status.badf;
      if (version > 4) return Status.inval;
      head.version = version;
      return Status.ok;
    },
    // Automatic framing (0) and manual (1) are both accepted; the host always frames what it sends.
    framing_headers_mode_set(h: number, mode: number) {
      if (headOf(h) === undefined) return Status.badf;
      return mode <= 1 ? Status.ok : Status.inval;
    },
  };
}

/** header_values_set takes NUL-terminated values back to back. */
function splitNul(bytes: Uint8Array): Uint8Array[] {
  const values: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] !== 0) continue;
    values.push(bytes.subarray(start, i));
    start = i + 1;
  }
  if (start < bytes.length) values.push(bytes.subarray(start));
  return values;
}
