/** A local Compute host under test: collected log lines and per-request stats, stopped after the test. */
import { parseManifest } from '../../../src/node/manifest';
import type { LocalManifest } from '../../../src/node/manifest';
import { startComputeHost } from '../../../scripts/compute-host/index';
import type { ComputeHost, ComputeHostOptions, GuestRequestStats } from '../../../scripts/compute-host/index';

export interface HostUnderTest extends ComputeHost {
  lines: { stream: 'stdout' | 'stderr'; line: string }[];
  stats: GuestRequestStats[];
  stderr(): string[];
  stdout(): string[];
}

export function manifestOf(toml: string): LocalManifest {
  return parseManifest(toml, { file: 'test.toml', dir: process.cwd() });
}

export async function startHost(wasm: string | Uint8Array, options: Partial<ComputeHostOptions> = {}): Promise<HostUnderTest> {
  const lines: HostUnderTest['lines'] = [];
  const stats: GuestRequestStats[] = [];
  const host = await startComputeHost({
    wasm,
    manifest: manifestOf(''),
    port: 0,
    env: {},
    workers: 1,
    log: (stream, line) => lines.push({ stream, line }),
    onRequestStats: (entry) => stats.push(entry),
    ...options,
  });
  return {
    ...host,
    lines,
    stats,
    stderr: () => lines.filter((l) => l.stream === 'stderr').map((l) => l.line),
    stdout: () => lines.filter((l) => l.stream === 'stdout').map((l) => l.line),
  };
}

/** Waits until `done()` holds (the stats of a sandbox arrive just after its response). */
export async function eventually(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
