/**
 * The main thread's side of one sandbox: the client response, the backend requests in flight
 * and the deadline. Whatever way the sandbox ends, `end` runs once: backend requests are
 * aborted, cache obligations pass on, and a client that got nothing gets a 500.
 */
import type { ResponseWriter } from './downstream';
import type { GuestRequestStats, Job, SandboxOutcome } from './protocol';
import type { SandboxHost } from './sandbox-host';

export class SandboxRun {
  readonly backendRequests = new Map<number, AbortController>();
  finished = false;
  deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly job: Job,
    readonly response: ResponseWriter,
    readonly host: SandboxHost,
  ) {}

  abortBackend(pendingId: number): void {
    this.backendRequests.get(pendingId)?.abort();
    this.backendRequests.delete(pendingId);
  }

  /** Returns the log line for an unclean end, or null. */
  end(outcome: SandboxOutcome, message: string | null): string | null {
    if (this.finished) return null;
    this.finished = true;
    clearTimeout(this.deadlineTimer);
    for (const controller of this.backendRequests.values()) controller.abort();
    this.backendRequests.clear();
    const { method, url } = this.job.request;
    const where = `${method} ${url}`;
    if (!this.response.started) {
      const why = message ?? (outcome === 'ok' ? 'the sandbox ended without sending a response' : `sandbox ended: ${outcome}`);
      this.response.fail(outcome === 'ok' ? 'the service ended without sending a response' : 'the service failed before sending a response');
      return `compute-host: ${where}: 500 because ${why}`;
    }
    if (!this.response.ended) {
      this.response.end(outcome === 'ok');
      if (outcome !== 'ok') return `compute-host: ${where}: streamed response cut because ${message ?? outcome}`;
      return null;
    }
    return outcome === 'ok' ? null : `compute-host: ${where}: ${message ?? outcome} (after the response was sent)`;
  }
}

export function emptyStats(run: SandboxRun, outcome: SandboxOutcome, startedAt: number): GuestRequestStats {
  const url = URL.canParse(run.job.request.url) ? new URL(run.job.request.url).pathname : run.job.request.url;
  return {
    jobId: run.job.id,
    method: run.job.request.method,
    path: url,
    instantiateMs: 0,
    guestMs: 0,
    blockedMs: 0,
    wallMs: performance.now() - startedAt,
    memoryBytes: 0,
    backendRequests: run.backendRequests.size,
    outcome,
  };
}
