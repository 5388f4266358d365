/** fastly_http_resp: response heads and send_downstream (Viceroy's resp_impl.rs). */
import { Body } from '../body';
import { newResponseHead } from '../http-head';
import type { Session } from '../session';
import { Status } from '../status';
import { headFactCalls, headerCalls } from './headers';
import type { AbiModule } from './hostcall';
import { readWhole } from './send';

export function respModule(session: Session): AbiModule {
  const { memory, handles } = session;
  const head = (h: number) => handles.get(h, 'response')?.head;
  return {
    ...headerCalls(session, (h) => head(h)?.headers),
    ...headFactCalls(session, head),
    new(out: number) {
      memory.u32(out, handles.add({ kind: 'response', head: newResponseHead() }));
      return Status.ok;
    },
    close(h: number) {
      return handles.get(h, 'response') !== undefined && handles.delete(h) ? Status.ok : Status.badf;
    },
    status_get(h: number, out: number) {
      const response = head(h);
      if (response === undefined) return Status.badf;
      memory.u16(out, response.status);
      return Status.ok;
    },
    status_set(h: number, status: number) {
      const response = head(h);
      if (response === undefined) return Status.badf;
      if (status < 100 || status > 999) return Status.inval;
      response.status = status;
      return Status.ok;
    },
    send_downstream(h: number, b: number, streaming: number) {
      const response = head(h);
      const bodyEntry = handles.get(b, 'body');
      if (response === undefined || bodyEntry === undefined || !bodyEntry.body.readable) return Status.badf;
      if (session.responded) return Status.error;
      if (response.status < 200 && response.status !== 101) return Status.httpuser;
      session.responded = true;
      // A backend body sent on whole is forwarded once it has arrived.
      const queued = readWhole(session, bodyEntry.body) ?? new Uint8Array(0);
      session.channel.post({ type: 'downstream', jobId: session.job.id, status: response.status, headers: response.headers.toPairs(), body: queued, streaming: streaming !== 0 });
      handles.delete(h);
      if (streaming === 0) {
        handles.delete(b);
        return Status.ok;
      }
      // The handle stays the guest's: what it writes now goes to the client until it closes it.
      bodyEntry.body = Body.sink({
        write: (chunk) => session.channel.post({ type: 'downstream-chunk', jobId: session.job.id, chunk }),
        finish: (complete) => session.channel.post({ type: 'downstream-end', jobId: session.job.id, complete }),
      });
      return Status.ok;
    },
  };
}
