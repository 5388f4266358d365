/** fastly_log: named log endpoints. Locally each line goes to stdout as `endpoint: message`, like Viceroy. */
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

const decoder = new TextDecoder();

export function logModule(session: Session): AbiModule {
  const { memory, handles } = session;
  return {
    endpoint_get(np: number, nl: number, out: number) {
      const name = memory.string(np, nl);
      if (name === '' || name === 'stdout' || name === 'stderr') return Status.inval;
      memory.u32(out, handles.add({ kind: 'log-endpoint', name }));
      return Status.ok;
    },
    write(h: number, ptr: number, len: number, nwOut: number) {
      const endpoint = handles.get(h, 'log-endpoint');
      if (endpoint === undefined) return Status.badf;
      const message = decoder.decode(memory.bytes(ptr, len));
      for (const line of message.replace(/\n$/, '').split('\n')) session.log('stdout', `${endpoint.name}: ${line}`);
      memory.u32(nwOut, len);
      return Status.ok;
    },
  };
}
