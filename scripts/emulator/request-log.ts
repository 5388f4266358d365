/** What the emulator saw: one entry per API request, for tests and demos. */
import type { AuthScheme } from './verify-signature';

export interface LogEntry {
  /** RFC 3339, real time (the injected clock offset does not apply). */
  time: string;
  method: string;
  /** The path as received, without the query. */
  path: string;
  host: string;
  auth: AuthScheme | 'json';
  /** `ok`, the error code answered (e.g. SignatureDoesNotMatch, conditionNotMet), or the fault applied (hang, reset, garbage, corrupt). */
  verdict: string;
  /** HTTP status sent; 0 when no answer was sent (hang, reset). */
  status: number;
  bucket?: string;
  object?: string;
  accessId?: string;
  /** The fault type when an injected fault shaped the answer. */
  fault?: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: LogEntry[] = [];

  constructor(private readonly onEntry?: (entry: LogEntry) => void) {}

  add(entry: LogEntry): void {
    this.entries.push(entry);
    // Long local runs must not grow without bound.
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.onEntry?.(entry);
  }

  list(): LogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
