/**
 * The CDN's cache, honest in the RFC 9111 sense: only 200s are stored, an entry lives for its
 * freshness lifetime and no longer, and a hit says how old it is (`Age`, from the time it was
 * stored plus any age the origin reported).
 */
import type { CachePolicy } from './options';

export interface OriginReply {
  status: number;
  /** As received, minus hop-by-hop headers. */
  headers: [string, string][];
  body: Buffer;
}

export interface CacheHit {
  reply: OriginReply;
  ageSeconds: number;
}

interface Entry {
  reply: OriginReply;
  storedAt: number;
  initialAgeSeconds: number;
  expiresAt: number;
}

export interface StoreDecision {
  store: boolean;
  lifetimeSeconds: number;
  /** Why not, for logs and tests: e.g. `Cache-Control: no-store`. */
  reason: string;
}

/** Whether and for how long a shared cache may keep this reply under the given policy. */
export function decideStorage(reply: OriginReply, policy: CachePolicy, ttlSeconds: number): StoreDecision {
  if (reply.status !== 200) return { store: false, lifetimeSeconds: 0, reason: `status ${reply.status}` };
  if (policy === 'service-ttl') return { store: true, lifetimeSeconds: ttlSeconds, reason: 'service TTL' };
  const directives = parseCacheControl(header(reply, 'cache-control') ?? '');
  // no-cache allows storing only with revalidation before every use; this cache never revalidates.
  for (const veto of ['no-store', 'private', 'no-cache']) {
    if (directives.has(veto)) return { store: false, lifetimeSeconds: 0, reason: `Cache-Control: ${veto}` };
  }
  const lifetime = directives.get('s-maxage') ?? directives.get('max-age');
  const lifetimeSeconds = lifetime === undefined || lifetime === '' ? ttlSeconds : Number(lifetime);
  if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
    return { store: false, lifetimeSeconds: 0, reason: `Cache-Control lifetime ${lifetime}` };
  }
  return { store: true, lifetimeSeconds, reason: lifetime === undefined ? 'default TTL' : 'origin lifetime' };
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  /** A fresh entry with its current age; an expired one is dropped and is a miss. */
  lookup(key: string): CacheHit | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return null;
    }
    const residentSeconds = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
    return { reply: entry.reply, ageSeconds: entry.initialAgeSeconds + residentSeconds };
  }

  store(key: string, reply: OriginReply, lifetimeSeconds: number): void {
    const now = this.now();
    const initialAgeSeconds = originAge(reply);
    this.entries.set(key, { reply, storedAt: now, initialAgeSeconds, expiresAt: now + (lifetimeSeconds - initialAgeSeconds) * 1000 });
  }

  purgeAll(): void {
    this.entries.clear();
  }
}

export function header(reply: OriginReply, name: string): string | undefined {
  return reply.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** Directive name (lower case) → argument ('' when it has none). */
function parseCacheControl(value: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of value.split(',')) {
    const [name = '', argument = ''] = part.split('=', 2).map((s) => s.trim());
    if (name !== '') directives.set(name.toLowerCase(), argument.replace(/^"|"$/g, ''));
  }
  return directives;
}

function originAge(reply: OriginReply): number {
  const age = Number(header(reply, 'age') ?? '0');
  return Number.isInteger(age) && age > 0 ? age : 0;
}
