/** Injected failures: what the next matching requests get instead of a normal answer. */
import { ControlInputError } from './errors';

export const FAULT_TYPES = ['status', 'hang', 'reset', 'garbage', 'corrupt'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** `object-reads`: XML GET/HEAD of objects only (the default, so the uploader keeps working); `all`: every API request. */
export type FaultScope = 'object-reads' | 'all';

export interface FaultSpec {
  type: FaultType;
  /** For `status`: the HTTP status to answer with. */
  status?: number;
  /** How many requests to affect; omitted = until cleared. */
  count?: number;
  scope?: FaultScope;
  /** Only requests for this bucket (one origin of several on the same emulator); omitted = every bucket. */
  bucket?: string;
}

export interface ActiveFault {
  id: number;
  type: FaultType;
  status?: number;
  /** Requests still to affect; null = until cleared. */
  remaining: number | null;
  scope: FaultScope;
  bucket?: string;
}

/** What kind of request is asking, so each fault only hits what it is meant for. */
export interface FaultTarget {
  objectRead: boolean;
  /**
   * `request`: the request just arrived (every fault but `corrupt`); `media`: object bytes are
   * about to be sent after a successful read (only `corrupt`), so a failed read never uses it up.
   */
  phase: 'request' | 'media';
  /** The bucket the request names, when it names one. */
  bucket?: string;
}

export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new ControlInputError('fault must be a JSON object');
  const { type, status, count, scope, bucket } = input as Record<string, unknown>;
  if (!FAULT_TYPES.includes(type as FaultType)) throw new ControlInputError(`fault type must be one of ${FAULT_TYPES.join(', ')}`);
  if (type === 'status' && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
    throw new ControlInputError('a status fault needs "status": an HTTP status between 100 and 599');
  }
  if (count !== undefined && !(Number.isInteger(count) && (count as number) > 0)) {
    throw new ControlInputError('"count" must be a positive integer (omit it for "until cleared")');
  }
  if (scope !== undefined && scope !== 'all' && scope !== 'object-reads') {
    throw new ControlInputError('"scope" must be "object-reads" (default) or "all"');
  }
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === '')) {
    throw new ControlInputError('"bucket" must be a bucket name (omit it for every bucket)');
  }
  const spec: FaultSpec = { type: type as FaultType };
  if (type === 'status') spec.status = status as number;
  if (count !== undefined) spec.count = count as number;
  if (scope !== undefined) spec.scope = scope as FaultScope;
  if (bucket !== undefined) spec.bucket = bucket as string;
  return spec;
}

export class FaultBoard {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Faults queue up: the oldest one that matches a request is applied first. */
  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { id: this.nextId++, type: spec.type, remaining: spec.count ?? null, scope: spec.scope ?? 'object-reads' };
    if (spec.status !== undefined) fault.status = spec.status;
    if (spec.bucket !== undefined) fault.bucket = spec.bucket;
    this.faults.push(fault);
    return { ...fault };
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Takes one use of the first fault that applies to this request. */
  take(target: FaultTarget): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) => (f.scope === 'all' || target.objectRead) && (f.type === 'corrupt') === (target.phase === 'media') &&
        (f.bucket === undefined || f.bucket === target.bucket),
    );
    if (!fault) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return { ...fault };
  }
}
