/** Checks every fixed port before anything starts, so a busy port never leaves half a stack running. */
import { createServer } from 'node:net';
import { PortBusyError, PortsBusyError, StackConfigError } from './errors';

export interface WantedPort {
  role: string;
  host: string;
  /** 0 = any free port, never busy. */
  port: number;
}

/** Throws PortBusyError for one busy port, PortsBusyError naming every one when several are. */
export async function assertPortsFree(wanted: readonly WantedPort[]): Promise<void> {
  const fixed = wanted.filter((w) => w.port !== 0);
  const busy: PortBusyError[] = [];
  for (const [index, w] of fixed.entries()) {
    const earlier = fixed.slice(0, index).find((other) => other.port === w.port && other.host === w.host);
    if (earlier) throw new StackConfigError(`the ${earlier.role} and the ${w.role} cannot both use port ${w.port}`);
    try {
      await assertPortFree(w);
    } catch (error) {
      if (!(error instanceof PortBusyError)) throw error;
      busy.push(error);
    }
  }
  if (busy.length === 1) throw busy[0];
  if (busy.length > 1) throw new PortsBusyError(busy);
}

function assertPortFree({ role, host, port }: WantedPort): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortBusyError(role, host, port, { cause: error }));
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
