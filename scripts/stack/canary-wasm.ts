/**
 * The wasm side of the stack's canary: bin/main.wasm (or the given module) on the local Compute
 * host. The guest writes its log records as JSON lines on stdout (src/fastly/platform.ts); they
 * reach `platform.log` as the same records the Node host hands it, so tests and scripts read the
 * logs of both runtimes alike.
 */
import type { CanaryServer, CanaryServerOptions } from './canary';
import { ensureWasm } from './wasm-artifact';

export type GuestStream = 'stdout' | 'stderr';

/** One guest output line as a log record: its JSON fields without the guest's timestamp, or the raw line. */
export function guestLogRecord(stream: GuestStream, line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const { time: _time, ...fields } = parsed as Record<string, unknown>;
      return fields;
    }
  } catch {
    // Not a record of the app's: a runtime message, a panic, or a host diagnostic.
  }
  return { msg: 'guest output', stream, line };
}

export async function startWasmCanary(options: CanaryServerOptions): Promise<CanaryServer> {
  // Imported on first use: the Node runtime never loads the host or its worker code.
  const { startComputeHost } = await import('../compute-host/index');
  const platform = options.platform ?? {};
  const { log } = platform;
  const wasm = options.wasm ?? (await ensureWasm((line) => process.stderr.write(`edge-canary: ${line}\n`))).path;
  const host = await startComputeHost({
    wasm,
    manifest: options.manifest,
    host: options.host,
    port: options.port,
    env: options.pop === undefined ? (platform.env ?? process.env) : { ...(platform.env ?? process.env), FASTLY_POP: options.pop },
    ...(platform.now ? { now: platform.now } : {}),
    ...(platform.timeouts ? { timeouts: platform.timeouts } : {}),
    ...(options.listenAfter ? { listenAfter: options.listenAfter } : {}),
    log: (stream, line) => (log ? log(guestLogRecord(stream, line)) : process.stderr.write(`${line}\n`)),
  });
  let closing: Promise<void> | undefined;
  return {
    url: host.url,
    port: host.port,
    runtime: 'wasm',
    close: () => (closing ??= host.close()),
  };
}
