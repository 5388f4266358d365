/**
 * A body as the guest sees it. `local` bodies are complete (built by the guest or received whole);
 * `remote` bodies fill as the main thread forwards a backend's bytes; `sink` bodies forward what
 * the guest writes (a streaming downstream response, a cache insertion); `readback` bodies read a
 * cache insertion back while it is being written.
 */

export type BodyKind = 'local' | 'remote' | 'sink' | 'readback';

export interface BodySink {
  write(chunk: Uint8Array): void;
  /** `complete` is false when the guest abandons the body instead of closing it. */
  finish(complete: boolean): void;
}

export class Body {
  private chunks: Uint8Array[] = [];
  /** Everything ever written, for a readback of a cache insertion. */
  readonly written: Uint8Array[] = [];
  ended: boolean;
  error: string | null = null;
  closed = false;
  knownLength: number | null = null;
  private readOffset = 0;

  private constructor(
    readonly kind: BodyKind,
    readonly streamId: number | null,
    private readonly sink: BodySink | null,
    private readonly source: Body | null,
  ) {
    this.ended = kind === 'local';
  }

  static local(content?: Uint8Array): Body {
    const body = new Body('local', null, null, null);
    if (content !== undefined && content.byteLength > 0) body.chunks.push(content);
    return body;
  }

  static remote(streamId: number, knownLength: number | null): Body {
    const body = new Body('remote', streamId, null, null);
    body.knownLength = knownLength;
    return body;
  }

  static sink(sink: BodySink, initial: Uint8Array[] = []): Body {
    const body = new Body('sink', null, sink, null);
    for (const chunk of initial) body.writeBack(chunk);
    return body;
  }

  static readback(source: Body): Body {
    return new Body('readback', null, null, source);
  }

  get readable(): boolean {
    return this.kind !== 'sink';
  }

  /** Ready for select: has bytes, or will never get more. */
  isReady(): boolean {
    if (this.kind === 'local' || this.kind === 'sink') return true;
    if (this.kind === 'readback') {
      const source = this.source as Body;
      return source.closed || this.readOffset < totalLength(source.written);
    }
    return this.chunks.length > 0 || this.ended || this.error !== null;
  }

  /** Takes up to `max` bytes; an empty result means the end (callers wait for isReady first). */
  take(max: number): Uint8Array {
    if (this.kind === 'readback') return this.takeReadback(max);
    const first = this.chunks[0];
    if (first === undefined || max === 0) return new Uint8Array(0);
    if (first.byteLength <= max) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(max);
    return first.subarray(0, max);
  }

  private takeReadback(max: number): Uint8Array {
    const all = concat((this.source as Body).written);
    const piece = all.subarray(this.readOffset, this.readOffset + max);
    this.readOffset += piece.byteLength;
    return piece;
  }

  receive(chunk: Uint8Array): void {
    this.chunks.push(chunk);
  }

  writeBack(chunk: Uint8Array): void {
    if (this.sink !== null) {
      this.written.push(chunk);
      this.sink.write(chunk);
      return;
    }
    this.chunks.push(chunk);
  }

  writeFront(chunk: Uint8Array): void {
    this.chunks.unshift(chunk);
  }

  /** The whole content of a local body, consuming it. */
  drainAll(): Uint8Array {
    const all = concat(this.chunks);
    this.chunks = [];
    return all;
  }

  /** Bytes still queued (a local body's known length). */
  queuedLength(): number {
    return totalLength(this.chunks);
  }

  finish(complete: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.sink?.finish(complete);
  }
}

function totalLength(chunks: Uint8Array[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(totalLength(chunks));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}
