/** Turns whatever stopped a write into one CanaryWriteError with a one-line message. */
import { CanaryWriteError, ForeignObjectError, ReadBackMismatchError, RepeatedConflictError } from './errors';
import { describeError, httpStatusOf, isNetworkFailure, isTransient } from './transient';

export interface FailureContext {
  attempts: number;
  /** Where requests went, e.g. http://127.0.0.1:4443. */
  endpoint: string;
  /** gs://bucket/object */
  target: string;
}

export function toWriteError(error: unknown, context: FailureContext): CanaryWriteError {
  const { attempts, endpoint, target } = context;
  const tries = `(${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`;
  if (error instanceof CanaryWriteError) return error;
  if (error instanceof RepeatedConflictError) {
    return new CanaryWriteError('conflict', `${error.message} (412 twice: another writer is active)`, attempts, { cause: error });
  }
  if (error instanceof ForeignObjectError) return new CanaryWriteError('rejected', error.message, attempts, { cause: error });
  if (error instanceof ReadBackMismatchError) {
    return new CanaryWriteError('verify_failed', `write to ${target} not confirmed: ${error.message}`, attempts, { cause: error });
  }
  if (isNetworkFailure(error)) {
    const message = `cannot reach storage at ${endpoint}: ${describeError(error)} ${tries}`;
    return new CanaryWriteError('unreachable', message, attempts, { cause: error });
  }
  if (isTransient(error)) {
    const message = `storage at ${endpoint} failed writing ${target}: ${describeError(error)} ${tries}`;
    return new CanaryWriteError('server_error', message, attempts, { cause: error });
  }
  const status = httpStatusOf(error);
  const what = status === null ? 'writing' : 'storage refused writing';
  return new CanaryWriteError('rejected', `${what} ${target}: ${describeError(error)}`, attempts, { cause: error });
}
