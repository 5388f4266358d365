/**
 * Everything one request's sandbox owns (Viceroy's `Session`): its handles, its backend requests
 * in flight, its cache lookups. Created per request, dropped with it; the main thread keeps the
 * network side and cleans up after the sandbox even when the worker is terminated.
 */
import type { CacheLookupResult, CacheWrite, DynamicBackend, Job, SendErrorTag, ToGuest } from '../protocol';
import { Body } from './body';
import type { GuestChannel, WaitKind } from './channel';
import { HandleTable } from './handles';
import { HeaderList, newResponseHead } from './http-head';
import type { RequestHead, ResponseHead } from './http-head';
import type { GuestMemory } from './memory';

export interface PendingRequest {
  id: number;
  state: 'waiting' | 'response' | 'error';
  response: ResponseHead | null;
  body: Body | null;
  tag: SendErrorTag | null;
  message: string | null;
}

export interface CacheLookup {
  id: number;
  key: string;
  result: CacheLookupResult | null;
  /** The body being inserted by this transaction, once the guest starts inserting. */
  insertion: Body | null;
  /** Write options of a pending insertion, sent with the body when it is closed. */
  write: Omit<CacheWrite, 'body'> | null;
}

export type Entry =
  | { kind: 'request'; head: RequestHead }
  | { kind: 'response'; head: ResponseHead }
  | { kind: 'body'; body: Body }
  | { kind: 'pending'; pending: PendingRequest }
  | { kind: 'config-store'; name: string; entries: Record<string, string> }
  | { kind: 'secret-store'; name: string; entries: Record<string, string> }
  | { kind: 'secret'; value: Uint8Array }
  | { kind: 'cache'; lookup: CacheLookup }
  | { kind: 'cache-busy'; lookup: CacheLookup }
  | { kind: 'log-endpoint'; name: string };

let nextId = 1;

export class Session {
  readonly handles = new HandleTable<Entry>();
  readonly pendings = new Map<number, PendingRequest>();
  readonly streams = new Map<number, Body>();
  readonly lookups = new Map<number, CacheLookup>();
  /** Backends this sandbox registered (shield backends), by name; they end with it, as in Viceroy. */
  readonly dynamicBackends = new Map<string, DynamicBackend>();
  backendRequests = 0;
  configLookups = 0;
  responded = false;

  private current: Job | null = null;

  constructor(
    readonly memory: GuestMemory,
    readonly channel: GuestChannel,
    /** Names an unimplemented hostcall once per host process (the main thread dedupes). */
    readonly unsupported: (name: string, note: string) => void,
  ) {}

  /** The request this sandbox serves; set when it arrives (the instance may be made before). */
  get job(): Job {
    if (this.current === null) throw new Error('the sandbox has no request yet');
    return this.current;
  }

  set job(job: Job) {
    this.current = job;
  }

  /** Ids are unique per worker, so a late message for an earlier sandbox can never match. */
  newId(): number {
    return nextId++;
  }

  /** Blocks until `done()` or the deadline (performance.now() ms; null = no deadline). */
  waitUntil(done: () => boolean, deadline: number | null = null, kind: WaitKind = 'io'): boolean {
    return this.channel.waitUntil(done, deadline, kind);
  }

  log(stream: 'stdout' | 'stderr', line: string): void {
    this.channel.post({ type: 'log', jobId: this.job.id, stream, line });
  }

  receive(message: ToGuest): void {
    switch (message.type) {
      case 'backend-response': {
        const pending = this.pendings.get(message.pendingId);
        if (pending === undefined) return;
        const body = Body.remote(message.pendingId, message.knownLength);
        this.streams.set(message.pendingId, body);
        pending.state = 'response';
        pending.response = { ...newResponseHead(), status: message.status, headers: HeaderList.from(message.headers) };
        pending.body = body;
        return;
      }
      case 'backend-error': {
        const pending = this.pendings.get(message.pendingId);
        if (pending === undefined) return;
        pending.state = 'error';
        pending.tag = message.tag;
        pending.message = message.message;
        return;
      }
      case 'body-chunk':
        this.streams.get(message.streamId)?.receive(message.chunk);
        return;
      case 'body-end': {
        const body = this.streams.get(message.streamId);
        if (body !== undefined) body.ended = true;
        return;
      }
      case 'body-error': {
        const body = this.streams.get(message.streamId);
        if (body !== undefined) body.error = message.message;
        return;
      }
      case 'cache-result': {
        const lookup = this.lookups.get(message.lookupId);
        if (lookup !== undefined) lookup.result = message.result;
        return;
      }
      case 'run':
        return;
    }
  }

  /** Stops forwarding a backend body the guest no longer wants. */
  abortStream(body: Body): void {
    if (body.kind !== 'remote' || body.streamId === null || body.ended || body.error !== null) return;
    this.streams.delete(body.streamId);
    this.channel.post({ type: 'abort-stream', jobId: this.job.id, streamId: body.streamId });
  }
}
