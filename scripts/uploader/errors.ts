/** Typed failures of the uploader; the CLI maps UsageError to exit 1 and CanaryWriteError to exit 2. */

/** Bad flags, environment or names: nothing was sent. */
export { UsageError } from '../../src/node/cli-kit';

/**
 * - `unreachable`: no HTTP answer (refused, reset, timed out) after every attempt;
 * - `server_error`: 408/429/5xx after every attempt;
 * - `rejected`: a final answer such as 401/403/404;
 * - `conflict`: the object changed under us twice in a row (HTTP 412 both times);
 * - `verify_failed`: the object read back is not the one just written.
 */
export type WriteFailure = 'unreachable' | 'server_error' | 'rejected' | 'conflict' | 'verify_failed';

export class CanaryWriteError extends Error {
  readonly kind: WriteFailure;
  readonly attempts: number;
  constructor(kind: WriteFailure, message: string, attempts: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CanaryWriteError';
    this.kind = kind;
    this.attempts = attempts;
  }
}

/** The object named holds something that is not a canary; nothing was written. Becomes `rejected`. */
export class ForeignObjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForeignObjectError';
  }
}

/** Raised inside one write cycle when the read-back disagrees; becomes `verify_failed`. */
export class ReadBackMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadBackMismatchError';
  }
}

/** Raised inside one write cycle after a second 412; becomes `conflict`. */
export class RepeatedConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepeatedConflictError';
  }
}
