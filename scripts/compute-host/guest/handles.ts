/**
 * The per-request handle table. Handles are never reused within a request (like Viceroy's
 * primary maps), so a stale handle is `badf` instead of silently naming a newer object.
 */

/** The guest reserves these: INVALID_HANDLE (u32::MAX - 1) and NEVER_HANDLE (u32::MAX - 2). */
const RESERVED = new Set([0xfffffffe, 0xfffffffd, 0xffffffff]);

export class HandleTable<Entry extends { kind: string }> {
  private entries = new Map<number, Entry>();
  private next = 1;

  add(entry: Entry): number {
    while (RESERVED.has(this.next)) this.next += 1;
    const handle = this.next;
    this.next += 1;
    this.entries.set(handle, entry);
    return handle;
  }

  get<K extends Entry['kind']>(handle: number, kind: K): Extract<Entry, { kind: K }> | undefined {
    const entry = this.entries.get(handle >>> 0);
    return entry !== undefined && entry.kind === kind ? (entry as Extract<Entry, { kind: K }>) : undefined;
  }

  any(handle: number): Entry | undefined {
    return this.entries.get(handle >>> 0);
  }

  delete(handle: number): boolean {
    return this.entries.delete(handle >>> 0);
  }

  values(): IterableIterator<Entry> {
    return this.entries.values();
  }
}
