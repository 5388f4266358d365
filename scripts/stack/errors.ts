/** Why the local stack could not start; each message is one line meant for a terminal. */

/** A port the stack needs is taken; names the port and what it was for. */
export class PortBusyError extends Error {
  readonly port: number;
  readonly host: string;
  readonly role: string;
  constructor(role: string, host: string, port: number, options?: { cause?: unknown }) {
    super(`port ${port} on ${host} is already in use (wanted for the ${role})`, options);
    this.name = 'PortBusyError';
    this.role = role;
    this.host = host;
    this.port = port;
  }
}

/** More than one port the stack needs is taken: all are named at once, so one round of fixes is enough. */
export class PortsBusyError extends Error {
  readonly busy: readonly PortBusyError[];
  constructor(busy: readonly PortBusyError[]) {
    super(`${busy.length} ports are already in use: ${busy.map((b) => `${b.port} on ${b.host} (wanted for the ${b.role})`).join(', ')}`);
    this.name = 'PortsBusyError';
    this.busy = busy;
  }
}

/** The manifest or the overrides do not describe a stack that can run; names the setting at fault. */
export class StackConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackConfigError';
  }
}
