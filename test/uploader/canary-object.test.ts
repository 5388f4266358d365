import { describe, expect, it } from 'vitest';
import { inspectCanaryBody } from '../../src/core/canary';
import { buildCanary, readCanary, serializeCanary } from '../../scripts/uploader/canary-object';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('the canary object', () => {
  it('has the DESIGN.md §2 shape with an RFC 3339 UTC millisecond timestamp', () => {
    const canary = buildCanary(1734, 'uploader@host-1', new Date(Date.UTC(2026, 10, 26, 0, 39, 23, 123)));
    expect(JSON.parse(serializeCanary(canary))).toEqual({
      kind: 'edge-canary',
      version: 1,
      written_at: '2026-11-26T00:39:23.123Z',
      sequence: 1734,
      writer: 'uploader@host-1',
    });
  });

  it('is accepted by the edge parser, sequence included', () => {
    const body = encode(serializeCanary(buildCanary(7, 'w', new Date())));
    const verdict = inspectCanaryBody({ bytes: body, truncated: false }, null);
    expect(verdict).toMatchObject({ ok: true, content: { sequence: 7 } });
  });

  it.each([
    { name: 'not JSON', text: '<html>', why: 'not JSON', foreign: true },
    { name: 'an array', text: '[1]', why: 'not a JSON object', foreign: true },
    { name: 'another kind', text: '{"kind":"other","sequence":3,"written_at":"x"}', why: 'kind is not "edge-canary"', foreign: true },
    { name: 'a string sequence', text: '{"kind":"edge-canary","sequence":"3","written_at":"x"}', why: 'sequence is not a non-negative integer', foreign: undefined },
    { name: 'a fractional sequence', text: '{"kind":"edge-canary","sequence":2.5,"written_at":"x"}', why: 'sequence is not a non-negative integer', foreign: undefined },
    { name: 'no written_at', text: '{"kind":"edge-canary","sequence":3}', why: 'written_at is missing', foreign: undefined },
  ])('reads $name as no canary (foreign: $foreign)', ({ text, why, foreign }) => {
    expect(readCanary(encode(text))).toEqual(foreign ? { readable: false, why, foreign } : { readable: false, why });
  });

  it('reads the sequence of a canary, ignoring unknown fields', () => {
    const text = '{"kind":"edge-canary","version":1,"sequence":41,"written_at":"2026-01-01T00:00:00.000Z","extra":true}';
    expect(readCanary(encode(text))).toEqual({ readable: true, sequence: 41, writtenAt: '2026-01-01T00:00:00.000Z' });
  });
});
