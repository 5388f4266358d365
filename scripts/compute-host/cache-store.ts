/**
 * The cache of the local POP, shared by every sandbox, with request collapsing like Viceroy's
 * transaction_lookup: the first transactional lookup of a missing key must insert it; later ones
 * wait for that insertion; if the inserter gives up (cancels, or its sandbox ends), the next
 * waiter inherits the obligation.
 */
import type { CacheEntryView, CacheLookupResult, CacheWrite } from './protocol';

interface StoredEntry {
  write: CacheWrite;
  storedAtMs: number;
  hits: bigint;
}

interface Waiter {
  jobId: number;
  lookupId: number;
  reply: (result: CacheLookupResult) => void;
}

interface Transaction {
  owner: { jobId: number; lookupId: number };
  waiters: Waiter[];
}

export class CacheStore {
  private entries = new Map<string, StoredEntry>();
  private transactions = new Map<string, Transaction>();

  constructor(private readonly now: () => number) {}

  lookup(waiter: Waiter, key: string, transactional: boolean): void {
    const entry = this.fresh(key);
    if (entry !== null) {
      waiter.reply({ entry, mustInsert: false });
      return;
    }
    if (!transactional) {
      waiter.reply({ entry: null, mustInsert: false });
      return;
    }
    const transaction = this.transactions.get(key);
    if (transaction !== undefined) {
      transaction.waiters.push(waiter);
      return;
    }
    this.transactions.set(key, { owner: { jobId: waiter.jobId, lookupId: waiter.lookupId }, waiters: [] });
    waiter.reply({ entry: null, mustInsert: true });
  }

  insert(jobId: number, lookupId: number | null, key: string, write: CacheWrite): void {
    this.entries.set(key, { write, storedAtMs: this.now(), hits: 0n });
    const transaction = this.transactions.get(key);
    if (transaction === undefined) return;
    const owns = lookupId !== null && transaction.owner.jobId === jobId && transaction.owner.lookupId === lookupId;
    if (!owns && lookupId !== null) return;
    this.transactions.delete(key);
    for (const waiter of transaction.waiters) this.lookup(waiter, key, true);
  }

  release(jobId: number, lookupId: number): void {
    for (const [key, transaction] of this.transactions) {
      if (transaction.owner.jobId === jobId && transaction.owner.lookupId === lookupId) this.handOver(key, transaction);
    }
  }

  /** Removes every entry tagged with the surrogate key (a soft purge too: this cache never serves stale). */
  purge(surrogateKey: string): number {
    let purged = 0;
    for (const [key, stored] of this.entries) {
      if (!stored.write.surrogateKeys.includes(surrogateKey)) continue;
      this.entries.delete(key);
      purged += 1;
    }
    return purged;
  }

  /** A sandbox ended: its obligations pass on, its waits are forgotten. */
  sandboxEnded(jobId: number): void {
    for (const [key, transaction] of this.transactions) {
      transaction.waiters = transaction.waiters.filter((waiter) => waiter.jobId !== jobId);
      if (transaction.owner.jobId === jobId) this.handOver(key, transaction);
    }
  }

  private handOver(key: string, transaction: Transaction): void {
    const next = transaction.waiters.shift();
    if (next === undefined) {
      this.transactions.delete(key);
      return;
    }
    transaction.owner = { jobId: next.jobId, lookupId: next.lookupId };
    next.reply({ entry: null, mustInsert: true });
  }

  private fresh(key: string): CacheEntryView | null {
    const stored = this.entries.get(key);
    if (stored === undefined) return null;
    const ageNs = BigInt(Math.max(0, Math.round((this.now() - stored.storedAtMs) * 1e6))) + stored.write.initialAgeNs;
    if (ageNs >= stored.write.maxAgeNs) {
      this.entries.delete(key);
      return null;
    }
    stored.hits += 1n;
    const { body, userMetadata, maxAgeNs, staleWhileRevalidateNs } = stored.write;
    return { body, userMetadata, maxAgeNs, staleWhileRevalidateNs, ageNs, hits: stored.hits };
  }
}
