import { describe, expect, it } from 'vitest';
import { createSingleFlightMemo } from '../../src/node/memo';

const asJson = { encode: (v: unknown) => JSON.stringify(v), decode: (s: string) => JSON.parse(s) as unknown };

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function counter() {
  let computations = 0;
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const compute = async () => {
    computations += 1;
    await gate;
    return { report: computations };
  };
  return { compute, release: () => release(), computations: () => computations };
}

describe('single-flight memo', () => {
  it('100 concurrent callers of one key share one computation; 99 are told it was shared', async () => {
    const memo = createSingleFlightMemo();
    const work = counter();
    const calls = Array.from({ length: 100 }, () => memo('health', 5000, work.compute, asJson.encode, asJson.decode));
    work.release();
    const results = await Promise.all(calls);

    expect(work.computations()).toBe(1);
    expect(results.filter((r) => r.shared)).toHaveLength(99);
    expect(results.every((r) => JSON.stringify(r.value) === '{"report":1}')).toBe(true);
  });

  it('ttl 0 computes for every caller and never reports sharing', async () => {
    const memo = createSingleFlightMemo();
    const work = counter();
    work.release();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => memo('health', 0, work.compute, asJson.encode, asJson.decode)),
    );
    expect(work.computations()).toBe(10);
    expect(results.some((r) => r.shared)).toBe(false);
  });

  it('keeps a result for ttlMs after it was computed, then computes again', async () => {
    const clock = fakeClock();
    const memo = createSingleFlightMemo({ now: clock.now });
    const work = counter();
    work.release();

    expect(await memo('health', 5000, work.compute, asJson.encode, asJson.decode)).toEqual({ value: { report: 1 }, shared: false });
    clock.advance(4999);
    expect(await memo('health', 5000, work.compute, asJson.encode, asJson.decode)).toEqual({ value: { report: 1 }, shared: true });
    clock.advance(1);
    expect(await memo('health', 5000, work.compute, asJson.encode, asJson.decode)).toEqual({ value: { report: 2 }, shared: false });
  });

  it('different keys do not share', async () => {
    const memo = createSingleFlightMemo();
    const work = counter();
    work.release();
    await memo('a', 5000, work.compute, asJson.encode, asJson.decode);
    const b = await memo('b', 5000, work.compute, asJson.encode, asJson.decode);
    expect(b.shared).toBe(false);
    expect(work.computations()).toBe(2);
  });

  it('a failed computation reaches its waiters but is not cached', async () => {
    const memo = createSingleFlightMemo();
    let attempts = 0;
    const flaky = async () => {
      attempts += 1;
      await Promise.resolve();
      if (attempts === 1) throw new Error('origin exploded');
      return 'fine';
    };
    const first = memo('health', 5000, flaky, String, String);
    const second = memo('health', 5000, flaky, String, String);
    await expect(first).rejects.toThrow('origin exploded');
    await expect(second).rejects.toThrow('origin exploded');
    expect(await memo('health', 5000, flaky, String, String)).toEqual({ value: 'fine', shared: false });
  });

  it('values come back through encode/decode, as they would from the Fastly cache', async () => {
    const memo = createSingleFlightMemo();
    const result = await memo('t', 5000, async () => ({ at: new Date(0) }), asJson.encode, asJson.decode);
    expect(result.value).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it('stays within maxEntries, evicting expired results first', async () => {
    const clock = fakeClock();
    const memo = createSingleFlightMemo({ now: clock.now, maxEntries: 2 });
    let computations = 0;
    const compute = async () => ++computations;
    await memo('old', 1000, compute, String, Number);
    await memo('kept', 60_000, compute, String, Number);
    clock.advance(2000);
    await memo('new', 60_000, compute, String, Number);
    expect(await memo('kept', 60_000, compute, String, Number)).toEqual({ value: 2, shared: true });
    await memo('newest', 60_000, compute, String, Number);
    expect((await memo('kept', 60_000, compute, String, Number)).shared).toBe(false);
  });
});
