/** What every ABI module shares: the hostcall shape and the multi-value writer. */
import type { GuestMemory } from '../memory';
import type { Session } from '../session';
import { Status } from '../status';
import type { StatusCode } from '../status';

/** A hostcall: numbers in (i64 parameters arrive as bigint), a status out. */
export type Hostcall = (...args: never[]) => number;
export type AbiModule = Record<string, Hostcall>;
export type AbiModuleFactory = (session: Session) => AbiModule;

/**
 * Viceroy's multi-value writer: as many whole NUL-terminated items as fit from `cursor`, the
 * next cursor (or -1 when done) and the bytes written; `buflen` when not even one fits.
 */
export function writeMultiValue(
  memory: GuestMemory,
  items: Uint8Array[],
  buf: number,
  bufLen: number,
  cursor: number,
  endingCursorPtr: number,
  nwrittenPtr: number,
): StatusCode {
  let offset = 0;
  let index = cursor >>> 0;
  const chunks: Uint8Array[] = [];
  for (; index < items.length; index += 1) {
    const needed = items[index].byteLength + 1;
    if (offset + needed > bufLen >>> 0) {
      if (offset === 0) {
        memory.u32(nwrittenPtr, needed);
        return Status.buflen;
      }
      break;
    }
    const withTerminator = new Uint8Array(needed);
    withTerminator.set(items[index]);
    chunks.push(withTerminator);
    offset += needed;
  }
  let at = buf;
  for (const chunk of chunks) {
    memory.write(at, chunk);
    at += chunk.byteLength;
  }
  memory.i64(endingCursorPtr, index >= items.length ? -1n : BigInt(index));
  memory.u32(nwrittenPtr, offset);
  return Status.ok;
}
