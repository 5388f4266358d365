import type { SyncOptions } from './args';
import type { Decision } from './decide';
import { EMPTY_MEMORY } from './edge-trigger';
import { StateFileError, StatuspageApiError, StatuspageConfigError, UsageError } from './errors';
import { formatDecisionJson, formatDecisionText } from './format';
import type { RateLimiter } from './rate-limiter';
import { STATUSPAGE_MIN_INTERVAL_MS, createRateLimiter } from './rate-limiter';
import type { RetryPolicy } from './retry-policy';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { sleep as defaultSleep } from './sleep';
import { memoryOnlyStore, stateFileStore } from './state-file';
import type { StatuspageClient } from './statuspage-api';
import { createStatuspageClient } from './statuspage-api';
import { createStreakTracker } from './streak';
import type { Poll, SyncContext } from './sync-step';
import { PREFIX, decide, poll } from './sync-step';

/** Side effects, injectable so tests run the real loop fast; defaults are the real thing. */
export interface SyncDeps {
  /** One decision line (stdout). */
  out: (line: string) => void;
  /** One diagnostic line (stderr). */
  err: (line: string) => void;
  fetch?: typeof fetch;
  /** Defaults to one Statuspage request per second. */
  limiter?: RateLimiter;
  retry?: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Service mode finishes the step in flight and returns 0 once this aborts. */
  stopSignal?: AbortSignal;
}

/** A canary that answered the same check again is polled again no sooner than this. */
const REPEAT_BACKOFF_MS = 1000;

/** Runs one-shot or service mode and returns the exit code; API failures are reported, not thrown. */
export async function runStatuspageSync(options: SyncOptions, deps: SyncDeps): Promise<number> {
  warnAboutPlainHttp(options, deps);
  const now = deps.now ?? Date.now;
  const target = { pageId: options.pageId, componentId: options.componentId };
  const file = options.statePath === null ? null : stateFileStore(options.statePath, target, now);
  // A dry run reads the state file (to say what a real run would do) but never writes it.
  const state = file === null || options.dryRun ? memoryOnlyStore() : file;
  let context: SyncContext;
  try {
    const memory = file === null ? EMPTY_MEMORY : file.load();
    context = { options, fetch: deps.fetch, err: deps.err, client: createClient(options, deps), streak: createStreakTracker(), state, memory };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.err(`${PREFIX} ${error.message}`);
    return 1;
  }
  try {
    return options.intervalSeconds === null ? await runOneShot(context, deps) : await runService(context, deps, options.intervalSeconds);
  } catch (error) {
    if (error instanceof StatuspageConfigError || error instanceof StatuspageApiError || error instanceof StateFileError) {
      deps.err(`${PREFIX} ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/**
 * Polls until `confirm` independent checks were seen (or --max-wait is up), then decides once.
 * A blind poll ends the run at once with exit 2 and the page untouched: a monitor that cannot see
 * must say so, not declare an outage.
 */
async function runOneShot(context: SyncContext, deps: SyncDeps): Promise<number> {
  const { options } = context;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const started = now();
  const delayMs = options.confirmDelaySeconds * 1000;
  let checks = 0;
  let step: Poll;
  for (;;) {
    step = await poll(context);
    if (step.observation.status === null) break;
    if (!step.repeat) checks += 1;
    if (checks >= options.confirm) break;
    const waitMs = step.repeat ? Math.max(delayMs, REPEAT_BACKOFF_MS) : delayMs;
    if (now() + waitMs - started > options.maxWaitSeconds * 1000) {
      deps.err(
        `${PREFIX} only ${checks} of ${options.confirm} independent checks within --max-wait ${options.maxWaitSeconds} s: the canary kept answering a check it had already given ` +
          '(it shares one result per result_ttl_ms); nothing is changed until a status is confirmed: make --confirm-delay longer than result_ttl_ms, or --max-wait longer',
      );
      break;
    }
    await sleep(waitMs);
  }
  report(deps, options.json, await decide(context, step));
  if (step.observation.status === null) {
    deps.err(`${PREFIX} every canary is blind (unreachable or misconfigured, see above): the page was left as it is; fix the canaries, a blind monitor is not an outage`);
    return 2;
  }
  return 0;
}

/**
 * Polls every intervalSeconds (start to start), the streak and the memory kept across ticks. A
 * transient API failure is reported and retried on the next tick; a configuration problem ends the
 * run (exit 2); a blind tick leaves the page alone and says why.
 */
async function runService(context: SyncContext, deps: SyncDeps, intervalSeconds: number): Promise<number> {
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  while (!deps.stopSignal?.aborted) {
    const startedAt = now();
    const step = await poll(context);
    try {
      report(deps, context.options.json, await decide(context, step));
    } catch (error) {
      if (!(error instanceof StatuspageApiError || error instanceof StateFileError)) throw error;
      deps.err(`${PREFIX} ${error.message}; trying again next tick`);
    }
    if (step.observation.status === null) deps.err(`${PREFIX} every canary is blind: the page is left as it is until one can see again`);
    await sleep(startedAt + intervalSeconds * 1000 - now(), deps.stopSignal);
  }
  return 0;
}

function report(deps: SyncDeps, json: boolean, decision: Decision): void {
  deps.out(json ? formatDecisionJson(decision, new Date((deps.now ?? Date.now)())) : formatDecisionText(decision));
}

function createClient(options: SyncOptions, deps: SyncDeps): StatuspageClient | null {
  if (options.apiKey === null) return null;
  return createStatuspageClient({
    apiBase: options.apiBase,
    pageId: options.pageId,
    componentId: options.componentId,
    apiKey: options.apiKey,
    limiter: deps.limiter ?? createRateLimiter(STATUSPAGE_MIN_INTERVAL_MS),
    retry: deps.retry ?? DEFAULT_RETRY_POLICY,
    timeoutMs: options.timeoutSeconds * 1000,
    fetch: deps.fetch,
    sleep: deps.sleep,
    onRetry: (message) => deps.err(`${PREFIX} ${message}`),
  });
}

function warnAboutPlainHttp(options: SyncOptions, deps: SyncDeps): void {
  if (options.apiKey === null) return;
  const url = new URL(options.apiBase);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    deps.err(`${PREFIX} warning: --api-base ${options.apiBase} is plain http; the API key would cross the network unencrypted`);
  }
}
