/**
 * Reads and writes guest memory. Views are taken fresh on every access because the guest can
 * grow its memory during any call, which detaches the previous ArrayBuffer.
 */
import { GuestMemoryError } from './status';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export class GuestMemory {
  private memory: WebAssembly.Memory | null = null;

  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  byteLength(): number {
    return this.memory?.buffer.byteLength ?? 0;
  }

  private buffer(): ArrayBuffer {
    if (this.memory === null) throw new GuestMemoryError('guest memory is not attached yet');
    return this.memory.buffer;
  }

  private check(ptr: number, len: number): void {
    const size = this.buffer().byteLength;
    if (ptr < 0 || len < 0 || ptr + len > size) {
      throw new GuestMemoryError(`guest range ${ptr}+${len} is outside memory of ${size} bytes`);
    }
  }

  /** A copy of guest bytes, safe to keep after the guest runs again. */
  bytes(ptr: number, len: number): Uint8Array {
    ptr >>>= 0;
    len >>>= 0;
    this.check(ptr, len);
    return new Uint8Array(this.buffer(), ptr, len).slice();
  }

  /** A witx `string`: UTF-8, or `inval`. */
  string(ptr: number, len: number): string {
    try {
      return utf8.decode(this.bytes(ptr, len));
    } catch (error) {
      if (error instanceof GuestMemoryError) throw error;
      throw new GuestMemoryError('guest string is not valid UTF-8');
    }
  }

  write(ptr: number, data: Uint8Array): void {
    ptr >>>= 0;
    this.check(ptr, data.byteLength);
    new Uint8Array(this.buffer(), ptr, data.byteLength).set(data);
  }

  writeString(ptr: number, text: string): number {
    const data = encoder.encode(text);
    this.write(ptr, data);
    return data.byteLength;
  }

  private view(ptr: number, len: number): DataView {
    ptr >>>= 0;
    this.check(ptr, len);
    return new DataView(this.buffer(), ptr, len);
  }

  u8(ptr: number, value: number): void {
    this.view(ptr, 1).setUint8(0, value);
  }

  u16(ptr: number, value: number): void {
    this.view(ptr, 2).setUint16(0, value, true);
  }

  u32(ptr: number, value: number): void {
    this.view(ptr, 4).setUint32(0, value >>> 0, true);
  }

  i64(ptr: number, value: bigint): void {
    this.view(ptr, 8).setBigInt64(0, value, true);
  }

  u64(ptr: number, value: bigint): void {
    this.view(ptr, 8).setBigUint64(0, value, true);
  }

  readU8(ptr: number): number {
    return this.view(ptr, 1).getUint8(0);
  }

  readU32(ptr: number): number {
    return this.view(ptr, 4).getUint32(0, true);
  }

  readU64(ptr: number): bigint {
    return this.view(ptr, 8).getBigUint64(0, true);
  }

  /** Writes `data` into a guest buffer of `max` bytes: `buflen` with the needed size when it does not fit. */
  writeBounded(ptr: number, max: number, data: Uint8Array, nwrittenPtr: number): boolean {
    if (data.byteLength > max >>> 0) {
      this.u32(nwrittenPtr, data.byteLength);
      return false;
    }
    this.write(ptr, data);
    this.u32(nwrittenPtr, data.byteLength);
    return true;
  }
}

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
