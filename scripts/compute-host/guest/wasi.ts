/**
 * wasi_snapshot_preview1 as a Compute sandbox offers it: args, environment, clocks, randomness,
 * stdout/stderr (line-buffered to the host's log), timers; no files (no preopened directories).
 */
import { getRandomValues } from 'node:crypto';
import type { GuestChannel } from './channel';
import type { GuestMemory } from './memory';

const ERRNO = { success: 0, badf: 8, inval: 28, nosys: 52, spipe: 70, notcapable: 76 } as const;
const CLOCK_REALTIME = 0;
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;
const FILETYPE_CHARACTER_DEVICE = 2;

/** proc_exit unwinds the guest through this exception. */
export class GuestExit extends Error {
  constructor(readonly code: number) {
    super(`guest exited with code ${code}`);
  }
}

export interface WasiOptions {
  args: string[];
  /** Read when the guest asks: the instance is made before its request arrives. */
  request: () => { env: Record<string, string>; clockOffsetMs: number };
  memory: GuestMemory;
  channel: GuestChannel;
  writeLine: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface Wasi {
  imports: Record<string, (...args: never[]) => number>;
  /** Writes out what is left of an unterminated last line. */
  flush(): void;
}

export function createWasi(options: WasiOptions): Wasi {
  const { memory, channel } = options;
  const encoder = new TextEncoder();
  const args = options.args.map((arg) => encoder.encode(`${arg}\0`));
  let envList: Uint8Array[] | null = null;
  const env = () => (envList ??= Object.entries(options.request().env).map(([key, value]) => encoder.encode(`${key}=${value}\0`)));
  const pending = { stdout: '', stderr: '' };
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const emit = (stream: 'stdout' | 'stderr', text: string) => {
    const lines = (pending[stream] + text).split('\n');
    pending[stream] = lines.pop() ?? '';
    for (const line of lines) options.writeLine(stream, line);
  };
  const writeList = (list: Uint8Array[], pointersOut: number, bufferOut: number) => {
    let at = bufferOut;
    list.forEach((item, i) => {
      memory.u32(pointersOut + i * 4, at);
      memory.write(at, item);
      at += item.byteLength;
    });
    return ERRNO.success;
  };
  const sizes = (list: Uint8Array[], countOut: number, sizeOut: number) => {
    memory.u32(countOut, list.length);
    memory.u32(sizeOut, list.reduce((n, item) => n + item.byteLength, 0));
    return ERRNO.success;
  };
  const nowNs = (clock: number): bigint =>
    clock === CLOCK_REALTIME
      ? BigInt(Math.round((performance.timeOrigin + performance.now() + options.request().clockOffsetMs) * 1e6))
      : process.hrtime.bigint();

  const imports = {
    args_get: (argv: number, buf: number) => writeList(args, argv, buf),
    args_sizes_get: (countOut: number, sizeOut: number) => sizes(args, countOut, sizeOut),
    environ_get: (environ: number, buf: number) => writeList(env(), environ, buf),
    environ_sizes_get: (countOut: number, sizeOut: number) => sizes(env(), countOut, sizeOut),
    clock_res_get: (_clock: number, out: number) => {
      memory.u64(out, 1000n);
      return ERRNO.success;
    },
    clock_time_get: (clock: number, _precision: bigint, out: number) => {
      if (clock > 3) return ERRNO.inval;
      memory.u64(out, nowNs(clock));
      return ERRNO.success;
    },
    random_get: (ptr: number, len: number) => {
      for (let offset = 0; offset < len; offset += 65536) {
        const chunk = new Uint8Array(Math.min(65536, len - offset));
        getRandomValues(chunk);
        memory.write(ptr + offset, chunk);
      }
      return ERRNO.success;
    },
    fd_write: (fd: number, iovs: number, count: number, nwrittenOut: number) => {
      if (fd !== 1 && fd !== 2) return ERRNO.badf;
      const stream = fd === 1 ? 'stdout' : 'stderr';
      let written = 0;
      for (let i = 0; i < count; i += 1) {
        const bytes = memory.bytes(memory.readU32(iovs + i * 8), memory.readU32(iovs + i * 8 + 4));
        emit(stream, decoders[stream].decode(bytes, { stream: true }));
        written += bytes.byteLength;
      }
      memory.u32(nwrittenOut, written);
      return ERRNO.success;
    },
    fd_read: (fd: number, _iovs: number, _count: number, nreadOut: number) => {
      if (fd !== 0) return ERRNO.badf;
      memory.u32(nreadOut, 0);
      return ERRNO.success;
    },
    fd_fdstat_get: (fd: number, out: number) => {
      if (fd > 2) return ERRNO.badf;
      memory.u8(out, FILETYPE_CHARACTER_DEVICE);
      memory.u16(out + 2, 0);
      memory.u64(out + 8, 0xffffffffn);
      memory.u64(out + 16, 0n);
      return ERRNO.success;
    },
    fd_fdstat_set_flags: (fd: number) => (fd > 2 ? ERRNO.badf : ERRNO.success),
    fd_close: (fd: number) => (fd > 2 ? ERRNO.badf : ERRNO.success),
    fd_seek: (fd: number) => (fd > 2 ? ERRNO.badf : ERRNO.spipe),
    fd_prestat_get: () => ERRNO.badf,
    fd_prestat_dir_name: () => ERRNO.badf,
    fd_readdir: () => ERRNO.badf,
    path_open: () => ERRNO.notcapable,
    path_filestat_get: () => ERRNO.notcapable,
    path_remove_directory: () => ERRNO.notcapable,
    path_unlink_file: () => ERRNO.notcapable,
    sched_yield: () => ERRNO.success,
    poll_oneoff: (subscriptions: number, events: number, count: number, neventsOut: number) =>
      pollOneoff(subscriptions, events, count, neventsOut),
    proc_exit: (code: number): number => {
      throw new GuestExit(code);
    },
  };

  /** Timers sleep (as blocked time, still dispatching I/O); stdin/stdout subscriptions are ready at once. */
  function pollOneoff(subscriptions: number, events: number, count: number, neventsOut: number): number {
    if (count === 0) return ERRNO.inval;
    const subs = Array.from({ length: count }, (_, i) => {
      const at = subscriptions + i * 48;
      const tag = memory.readU8(at + 8);
      const clock = memory.readU32(at + 16);
      const timeout = memory.readU64(at + 24);
      const absolute = (memory.readU8(at + 40) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
      const waitNs = tag !== EVENTTYPE_CLOCK ? 0n : absolute ? timeout - nowNs(clock) : timeout;
      return { userdata: memory.readU64(at), tag, waitNs: waitNs > 0n ? waitNs : 0n };
    });
    const hasIo = subs.some((sub) => sub.tag !== EVENTTYPE_CLOCK);
    const shortest = subs.reduce((min, sub) => (sub.waitNs < min ? sub.waitNs : min), subs[0].waitNs);
    if (!hasIo && shortest > 0n) channel.sleep(Number(shortest) / 1e6);
    const fired = hasIo ? subs.filter((sub) => sub.tag !== EVENTTYPE_CLOCK) : subs.filter((sub) => sub.waitNs <= shortest);
    fired.forEach((sub, i) => {
      const at = events + i * 32;
      memory.u64(at, sub.userdata);
      memory.u16(at + 8, 0);
      memory.u8(at + 10, sub.tag);
      memory.u64(at + 16, 0n);
    });
    memory.u32(neventsOut, fired.length);
    return ERRNO.success;
  }

  return {
    imports,
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream] !== '') options.writeLine(stream, pending[stream]);
        pending[stream] = '';
      }
    },
  };
}
