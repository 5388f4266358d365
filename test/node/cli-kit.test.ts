import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliPrefix, reportCrash } from '../../src/node/cli-kit';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cli-kit: one diagnostic style for every CLI', () => {
  it('names the command as npm runs it', () => {
    expect(cliPrefix('statuspage')).toBe('edge-canary statuspage:');
  });

  it('prints a crash in full after the prefix, redacted, and maps it to exit 2', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const error = new Error('the key sp-key-0123456789abcdef was refused');
    const code = reportCrash('edge-canary statuspage:', error, (text) => text.replaceAll('sp-key-0123456789abcdef', '[redacted]'));
    expect(code).toBe(2);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^edge-canary statuspage: unexpected error: Error: the key \[redacted\] was refused\n {4}at /);
    expect(written[0]!.endsWith('\n')).toBe(true);
  });

  it('prints a thrown non-Error as text', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    expect(reportCrash('edge-canary serve:', 'plain string')).toBe(2);
    expect(written).toEqual(['edge-canary serve: unexpected error: plain string\n']);
  });
});
