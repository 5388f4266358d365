/**
 * The import object for one sandbox: every import the module declares is bound, either to its
 * implementation or to a stub that answers `unsupported` (ENOSYS for WASI) and names itself on
 * stderr, so a missing hostcall never succeeds silently. No hostcall throws into the guest.
 */
import { asyncIoModule } from './abi/async-io';
import { backendModule } from './abi/backend';
import { bodyModule } from './abi/body';
import { cacheModule } from './abi/cache';
import { downstreamModule } from './abi/downstream';
import type { AbiModule, Hostcall } from './abi/hostcall';
import { httpCacheModule } from './abi/http-cache';
import { logModule } from './abi/log';
import { purgeModule } from './abi/purge';
import { reqModule } from './abi/req';
import { respModule } from './abi/resp';
import { runtimeModule } from './abi/runtime';
import { shieldingModule } from './abi/shielding';
import { configStoreModule, secretStoreModule } from './abi/stores';
import type { Session } from './session';
import { GuestMemoryError, Status } from './status';
import { GuestExit } from './wasi';
import type { Wasi } from './wasi';

const WASI = 'wasi_snapshot_preview1';
const WASI_ENOSYS = 52;
const WASI_EINVAL = 28;

export function buildImports(module: WebAssembly.Module, session: Session, wasi: Wasi, guestMs: () => number): WebAssembly.Imports {
  const implemented: Record<string, AbiModule> = {
    [WASI]: wasi.imports,
    fastly_abi: { init: () => Status.ok },
    fastly_http_req: reqModule(session),
    fastly_http_resp: respModule(session),
    fastly_http_body: bodyModule(session),
    fastly_http_downstream: downstreamModule(session),
    fastly_async_io: asyncIoModule(session),
    fastly_config_store: configStoreModule(session),
    fastly_dictionary: configStoreModule(session),
    fastly_secret_store: secretStoreModule(session),
    fastly_backend: backendModule(session),
    fastly_cache: cacheModule(session),
    fastly_http_cache: httpCacheModule(session),
    fastly_log: logModule(session),
    fastly_purge: purgeModule(session),
    fastly_compute_runtime: runtimeModule(session, guestMs),
    fastly_shielding: shieldingModule(session),
  };
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== 'function') continue;
    const fn = implemented[entry.module]?.[entry.name];
    const bound = fn === undefined ? unsupportedStub(session, entry.module, entry.name) : guarded(session, entry.module, entry.name, fn);
    (imports[entry.module] ??= {})[entry.name] = bound;
  }
  return imports;
}

function unsupportedStub(session: Session, module: string, name: string): () => number {
  const isWasi = module === WASI;
  return () => {
    session.unsupported(`${module}::${name}`, 'not implemented by the local Compute host, answered "unsupported"');
    return isWasi ? WASI_ENOSYS : Status.unsupported;
  };
}

/** A bad guest pointer is `inval`; a bug in the host is logged and answered `error`, never thrown. */
function guarded(session: Session, module: string, name: string, fn: Hostcall): (...args: unknown[]) => number {
  const call = fn as (...args: unknown[]) => number;
  const isWasi = module === WASI;
  const key = `${module}::${name}`;
  return (...args: unknown[]) => {
    const fault = session.job.hostcallFaults[key];
    if (fault !== undefined) return fault;
    try {
      return call(...args);
    } catch (error) {
      if (error instanceof GuestExit) throw error;
      if (error instanceof GuestMemoryError) return isWasi ? WASI_EINVAL : Status.inval;
      session.log('stderr', `compute-host: ${module}::${name} failed inside the host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return Status.error;
    }
  };
}
