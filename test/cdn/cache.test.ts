import { describe, expect, it } from 'vitest';
import { decideStorage, ResponseCache, type OriginReply } from '../../scripts/cdn';

const reply = (status: number, headers: Record<string, string> = {}): OriginReply => ({
  status,
  headers: Object.entries(headers),
  body: Buffer.from('bytes'),
});

describe('decideStorage (what the local CDN keeps)', () => {
  it.each([
    { name: 'public file, no lifetime: default TTL', reply: reply(200, { 'Cache-Control': 'public' }), store: true, lifetime: 86_400 },
    { name: 'max-age sets the lifetime', reply: reply(200, { 'Cache-Control': 'public, max-age=600' }), store: true, lifetime: 600 },
    { name: 's-maxage wins over max-age for a shared cache', reply: reply(200, { 'Cache-Control': 'max-age=600, s-maxage=60' }), store: true, lifetime: 60 },
    { name: 'no-store is never kept', reply: reply(200, { 'Cache-Control': 'no-store, max-age=0' }), store: false, lifetime: 0 },
    { name: 'private (GCS default for a private bucket) is not kept', reply: reply(200, { 'Cache-Control': 'private, max-age=0' }), store: false, lifetime: 0 },
    { name: 'max-age=0 is not kept', reply: reply(200, { 'Cache-Control': 'public, max-age=0' }), store: false, lifetime: 0 },
    { name: 'a 403 is never kept', reply: reply(403, { 'Cache-Control': 'public' }), store: false, lifetime: 0 },
    { name: 'a 404 is never kept', reply: reply(404), store: false, lifetime: 0 },
  ])('origin policy: $name', ({ reply: r, store, lifetime }) => {
    expect(decideStorage(r, 'origin', 86_400)).toMatchObject({ store, lifetimeSeconds: lifetime });
  });

  it.each([
    { name: 'no-store is overridden', headers: { 'Cache-Control': 'no-store, max-age=0' } },
    { name: 'private is overridden', headers: { 'Cache-Control': 'private, max-age=0' } },
  ])('service-ttl policy: $name (why the canary rule must live in the service)', ({ headers }) => {
    expect(decideStorage(reply(200, headers), 'service-ttl', 3600)).toMatchObject({ store: true, lifetimeSeconds: 3600 });
    expect(decideStorage(reply(403, headers), 'service-ttl', 3600).store).toBe(false);
  });
});

describe('ResponseCache', () => {
  function cacheAt(start: number) {
    let now = start;
    return { cache: new ResponseCache(() => now), advance: (ms: number) => (now += ms) };
  }

  it('reports the age from the time of storage, in whole seconds', () => {
    const { cache, advance } = cacheAt(1_000_000);
    cache.store('/f', reply(200), 60);
    expect(cache.lookup('/f')?.ageSeconds).toBe(0);
    advance(2_500);
    expect(cache.lookup('/f')?.ageSeconds).toBe(2);
  });

  it('adds the age the origin already reported', () => {
    const { cache, advance } = cacheAt(0);
    cache.store('/f', reply(200, { Age: '30' }), 60);
    advance(5_000);
    expect(cache.lookup('/f')?.ageSeconds).toBe(35);
    advance(25_000);
    expect(cache.lookup('/f')).toBeNull();
  });

  it('drops an entry once its lifetime is over', () => {
    const { cache, advance } = cacheAt(0);
    cache.store('/f', reply(200), 10);
    advance(9_999);
    expect(cache.lookup('/f')).not.toBeNull();
    advance(1);
    expect(cache.lookup('/f')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('forgets everything on purgeAll', () => {
    const { cache } = cacheAt(0);
    cache.store('/a', reply(200), 10);
    cache.store('/b', reply(200), 10);
    cache.purgeAll();
    expect(cache.lookup('/a')).toBeNull();
    expect(cache.size).toBe(0);
  });
});
