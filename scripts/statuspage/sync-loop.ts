import type { SyncOptions } from './args';
import type { Decision, Observation, Streak } from './decide';
import { advanceStreak, isConfirmed, observe } from './decide';
import { StatuspageApiError, StatuspageConfigError } from './errors';
import { formatDecisionJson, formatDecisionText } from './format';
import type { RateLimiter } from './rate-limiter';
import { STATUSPAGE_MIN_INTERVAL_MS, createRateLimiter } from './rate-limiter';
import { readCanaries } from './read-canary';
import type { RetryPolicy } from './retry-policy';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { sleep as defaultSleep } from './sleep';
import type { StatuspageClient } from './statuspage-api';
import { createStatuspageClient } from './statuspage-api';

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

interface SyncContext {
  options: SyncOptions;
  deps: SyncDeps;
  client: StatuspageClient | null;
  streak: Streak | null;
}

/** Runs one-shot or service mode and returns the exit code; API failures are reported, not thrown. */
export async function runStatuspageSync(options: SyncOptions, deps: SyncDeps): Promise<number> {
  warnAboutPlainHttp(options, deps);
  const context: SyncContext = { options, deps, client: createClient(options, deps), streak: null };
  try {
    return options.intervalSeconds === null ? await runOneShot(context) : await runService(context, options.intervalSeconds);
  } catch (error) {
    if (error instanceof StatuspageConfigError || error instanceof StatuspageApiError) {
      deps.err(`statuspage-sync: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/**
 * Polls `confirm` times, then decides once. Every canary unreachable on the last poll exits 2
 * even after major_outage was set: the operator has to learn that this vantage point is blind.
 */
async function runOneShot(context: SyncContext): Promise<number> {
  const { options, deps } = context;
  const sleep = deps.sleep ?? defaultSleep;
  let observation = await poll(context);
  for (let done = 1; done < options.confirm; done += 1) {
    await sleep(options.confirmDelaySeconds * 1000);
    observation = await poll(context);
  }
  await decideAndReport(context, observation);
  if (observation.allUnreachable) {
    deps.err('statuspage-sync: every canary was unreachable on the last poll');
    return 2;
  }
  return 0;
}

/**
 * Polls every intervalSeconds (start to start) with the streak kept across ticks. A transient API
 * failure is reported and retried on the next tick; a configuration problem ends the run (exit 2).
 */
async function runService(context: SyncContext, intervalSeconds: number): Promise<number> {
  const { deps } = context;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  while (!deps.stopSignal?.aborted) {
    const startedAt = now();
    const observation = await poll(context);
    try {
      await decideAndReport(context, observation);
    } catch (error) {
      if (!(error instanceof StatuspageApiError)) throw error;
      deps.err(`statuspage-sync: ${error.message}; trying again next tick`);
    }
    await sleep(startedAt + intervalSeconds * 1000 - now(), deps.stopSignal);
  }
  return 0;
}

async function poll(context: SyncContext): Promise<Observation> {
  const { options, deps } = context;
  const readings = await readCanaries(options.healthUrls, { timeoutMs: options.timeoutSeconds * 1000, fetch: deps.fetch });
  for (const reading of readings) {
    if (!reading.reachable) deps.err(`statuspage-sync: canary ${reading.url} unreachable: ${reading.problem}`);
  }
  const observation = observe(readings);
  context.streak = advanceStreak(context.streak, observation.status);
  return observation;
}

async function decideAndReport(context: SyncContext, observation: Observation): Promise<void> {
  const decision = await decide(context, observation);
  const { deps, options } = context;
  deps.out(options.json ? formatDecisionJson(decision, new Date((deps.now ?? Date.now)())) : formatDecisionText(decision));
}

/** Reads the component only once a status is confirmed, and writes only when it differs. */
async function decide(context: SyncContext, observation: Observation): Promise<Decision> {
  const { options, client } = context;
  const streak = context.streak ?? { status: observation.status, count: 1 };
  const base = { pageId: options.pageId, componentId: options.componentId, streak, confirm: options.confirm, dryRun: options.dryRun, observation };
  if (!isConfirmed(streak, options.confirm)) return { ...base, action: 'not_confirmed', from: null, to: null };
  if (client === null) return { ...base, action: 'would_change', from: null, to: streak.status };

  const current = await client.getComponentStatus();
  // Maintenance is announced by people or schedules; overwriting it would hide that announcement.
  if (current === 'under_maintenance') return { ...base, action: 'left_in_maintenance', from: current, to: null };
  if (current === streak.status) return { ...base, action: 'unchanged', from: current, to: null };
  if (options.dryRun) return { ...base, action: 'would_change', from: current, to: streak.status };
  await client.setComponentStatus(streak.status);
  return { ...base, action: 'changed', from: current, to: streak.status };
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
    onRetry: (message) => deps.err(`statuspage-sync: ${message}`),
  });
}

function warnAboutPlainHttp(options: SyncOptions, deps: SyncDeps): void {
  if (options.apiKey === null) return;
  const url = new URL(options.apiBase);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    deps.err(`statuspage-sync: warning: --api-base ${options.apiBase} is plain http; the API key would cross the network unencrypted`);
  }
}
