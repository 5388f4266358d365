/** Typed failures of the Statuspage sync; the CLI maps each class to one exit code. */

/** Bad flags or environment: exit 1, printed with the usage line. */
export { UsageError } from '../../src/node/cli-kit';

/** The API refused us for a reason retrying cannot fix (401, 403, 404): exit 2, reported as configuration. */
export class StatuspageConfigError extends Error {
  readonly httpStatus: number;
  constructor(httpStatus: number, message: string) {
    super(message);
    this.name = 'StatuspageConfigError';
    this.httpStatus = httpStatus;
  }
}

/** The API call failed after the retries we allow, or answered something we cannot use: exit 2. */
export class StatuspageApiError extends Error {
  readonly httpStatus: number | null;
  constructor(httpStatus: number | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StatuspageApiError';
    this.httpStatus = httpStatus;
  }
}

/** The --state file could not be written after a step: exit 2 in one-shot mode; the service reports it and goes on. */
export class StateFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}
