/**
 * What `npm start` prints about the uploader: each write, each failure, and, when the first tick
 * fails (the stack then stops with exit 2), what failed and what to check instead of a retry that
 * will never come.
 */
import type { CanaryWriteError } from '../uploader';
import type { UploadEvent } from './uploader';

export interface UploadLineContext {
  prefix: string;
  intervalMs: number;
  /** False during the first tick: a failure then stops the stack, so there is no next try. */
  started: boolean;
}

export function describeUpload(event: UploadEvent, context: UploadLineContext): string {
  if (event.kind === 'error') {
    const after = context.started ? `next try in ${context.intervalMs / 1000} s` : `the stack cannot start without it: ${whatToCheck(event.error)}`;
    return `${context.prefix} uploader: ${event.error.message}; ${after}`;
  }
  const { bucket, object, target, versionKind, sequence, generation, durationMs } = event.result;
  return `${context.prefix} uploader wrote ${target ?? `gs://${bucket}/${object}`} sequence ${sequence} (${versionKind ?? 'generation'} ${generation}) in ${durationMs} ms`;
}

/** The first write goes to the stack's own emulator, so a failure points at the manifest or this machine. */
export function whatToCheck(error: CanaryWriteError): string {
  switch (error.kind) {
    case 'rejected':
      return "check the manifest's bucket and object names (and, for an origins list, each origin's provider and region)";
    case 'unreachable':
    case 'server_error':
      return 'the local emulator did not answer the write: check that nothing else serves on --emulator-port, and the machine\'s load';
    case 'conflict':
    case 'verify_failed':
      return 'another writer changed the object during the write: stop any other uploader pointed at this emulator';
  }
}
