import type { StatuspageStatus } from '../../src/core/types';
import type { ApiKey } from './api-key';
import type { ComponentStatus } from './decide';
import type { RateLimiter } from './rate-limiter';
import { isStatuspageStatus } from './decide';
import { StatuspageApiError, StatuspageConfigError } from './errors';
import { retryDelayMs, shouldRetry } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { sleep as defaultSleep } from './sleep';

export interface StatuspageClientOptions {
  apiBase: string;
  pageId: string;
  componentId: string;
  apiKey: ApiKey;
  /** Shared by every call of this process: the API limit is per key, not per call site. */
  limiter: RateLimiter;
  retry: RetryPolicy;
  timeoutMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry, so a slow run explains itself on stderr. */
  onRetry?: (message: string) => void;
}

export interface StatuspageClient {
  getComponentStatus(): Promise<ComponentStatus>;
  setComponentStatus(status: StatuspageStatus): Promise<void>;
}

export function createStatuspageClient(options: StatuspageClientOptions): StatuspageClient {
  const path = `/v1/pages/${encodeURIComponent(options.pageId)}/components/${encodeURIComponent(options.componentId)}`;
  return {
    async getComponentStatus() {
      const component = await send(options, 'GET', path, undefined);
      const status = component.status;
      if (status === 'under_maintenance' || isStatuspageStatus(status)) return status;
      throw new StatuspageApiError(null, `GET ${path} answered a component without a known status (${JSON.stringify(status)})`);
    },
    async setComponentStatus(status) {
      await send(options, 'PATCH', path, { component: { status } });
    },
  };
}

async function send(
  options: StatuspageClientOptions,
  method: 'GET' | 'PATCH',
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const what = `${method} ${path}`;
  for (let attempt = 1; ; attempt += 1) {
    await options.limiter.acquire();
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(options.apiBase + path, {
        method,
        headers: {
          Authorization: `OAuth ${options.apiKey.reveal()}`,
          Accept: 'application/json',
          'User-Agent': 'edge-canary-statuspage-sync',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const problem = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs / 1000} s` : describe(error);
      if (attempt >= options.retry.maxTries) {
        throw new StatuspageApiError(null, `${what} failed after ${attempt} tries: ${problem}`, { cause: error });
      }
      await waitBeforeRetry(options, sleep, attempt, null, `${what}: ${problem}`);
      continue;
    }

    if (response.ok) return parseObject(what, text);
    throwIfConfigProblem(options, what, response.status);
    if (!shouldRetry(response.status)) {
      throw new StatuspageApiError(response.status, `${what} answered HTTP ${response.status}: ${snippet(text)}`);
    }
    if (attempt >= options.retry.maxTries) {
      throw new StatuspageApiError(response.status, `${what} still answered HTTP ${response.status} after ${attempt} tries; giving up`);
    }
    await waitBeforeRetry(options, sleep, attempt, response.headers.get('retry-after'), `${what} answered HTTP ${response.status}`);
  }
}

async function waitBeforeRetry(
  options: StatuspageClientOptions,
  sleep: (ms: number) => Promise<void>,
  attempt: number,
  retryAfter: string | null,
  problem: string,
): Promise<void> {
  const delayMs = retryDelayMs(options.retry, attempt, retryAfter, Date.now());
  options.onRetry?.(`${problem}; retrying in ${(delayMs / 1000).toFixed(1)} s (try ${attempt + 1}/${options.retry.maxTries})`);
  await sleep(delayMs);
}

function throwIfConfigProblem(options: StatuspageClientOptions, what: string, status: number): void {
  const advice: Record<number, string> = {
    401: 'the API key was not accepted; check STATUSPAGE_API_KEY',
    403: 'the API key may not change this page; check its permissions and --page-id',
    404: `page ${options.pageId} or component ${options.componentId} does not exist; check --page-id and --component-id`,
  };
  const hint = advice[status];
  if (hint !== undefined) throw new StatuspageConfigError(status, `configuration problem: ${what} answered HTTP ${status}: ${hint}`);
}

function parseObject(what: string, text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below, with the start of the body
  }
  throw new StatuspageApiError(null, `${what} answered a body that is not a JSON object: ${snippet(text)}`);
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine || '(empty body)';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
