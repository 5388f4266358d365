/** fastly_backend: facts about the manifest's backends and the sandbox's shield backends (Viceroy's backend_impl.rs). */
import type { BackendInfo, DynamicBackend, Job } from '../../protocol';
import { utf8Bytes } from '../memory';
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

export function backendModule(session: Session): AbiModule {
  const { memory } = session;
  const find = (np: number, nl: number): BackendInfo | undefined => {
    const name = memory.string(np, nl);
    const dynamic = session.dynamicBackends.get(name);
    return dynamic === undefined ? session.job.backends.find((backend) => backend.name === name) : dynamicInfo(session.job, dynamic);
  };
  const u32Fact = (fact: (backend: BackendInfo) => number) => (np: number, nl: number, out: number) => {
    const backend = find(np, nl);
    if (backend === undefined) return Status.inval;
    memory.u32(out, fact(backend));
    return Status.ok;
  };
  return {
    exists(np: number, nl: number, out: number) {
      memory.u32(out, find(np, nl) === undefined ? 0 : 1);
      return Status.ok;
    },
    // No health checks locally: the health of every backend is "unknown" (0), as in Viceroy.
    is_healthy: u32Fact(() => 0),
    is_dynamic(np: number, nl: number, out: number) {
      if (find(np, nl) === undefined) return Status.inval;
      memory.u32(out, session.dynamicBackends.has(memory.string(np, nl)) ? 1 : 0);
      return Status.ok;
    },
    is_ssl: u32Fact((backend) => (backend.ssl ? 1 : 0)),
    get_connect_timeout_ms: u32Fact((backend) => backend.connectTimeoutMs),
    get_first_byte_timeout_ms: u32Fact((backend) => backend.firstByteTimeoutMs),
    get_between_bytes_timeout_ms: u32Fact((backend) => backend.betweenBytesTimeoutMs),
    get_port(np: number, nl: number, out: number) {
      const backend = find(np, nl);
      if (backend === undefined) return Status.inval;
      memory.u16(out, backend.port);
      return Status.ok;
    },
    get_host(np: number, nl: number, buf: number, max: number, nwOut: number) {
      const backend = find(np, nl);
      if (backend === undefined) return Status.inval;
      return memory.writeBounded(buf, max, utf8Bytes(backend.host), nwOut) ? Status.ok : Status.buflen;
    },
    get_override_host(np: number, nl: number, buf: number, max: number, nwOut: number) {
      const backend = find(np, nl);
      if (backend === undefined) return Status.inval;
      if (backend.overrideHost === null) return Status.none;
      return memory.writeBounded(buf, max, utf8Bytes(backend.overrideHost), nwOut) ? Status.ok : Status.buflen;
    },
  };
}

/** A shield backend's facts; a timeout the guest did not set is none (0), as the host applies it. */
function dynamicInfo(job: Job, backend: DynamicBackend): BackendInfo {
  const url = new URL(backend.url);
  return {
    name: backend.name,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    ssl: url.protocol === 'https:',
    overrideHost: null,
    connectTimeoutMs: job.timeouts.connectMs,
    firstByteTimeoutMs: backend.firstByteTimeoutMs ?? 0,
    betweenBytesTimeoutMs: backend.betweenBytesTimeoutMs ?? 0,
  };
}
