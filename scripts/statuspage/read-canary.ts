import type { CanaryReading } from './decide';
import { isStatuspageStatus } from './decide';

export interface ReadCanaryOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Reads one canary's /health. Any HTTP status with a usable health+json body is a reading (a
 * failing canary answers 503 with the details); everything else makes the canary unreachable.
 * Never throws.
 */
export async function readCanary(url: string, options: ReadCanaryOptions): Promise<CanaryReading> {
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  let body: string;
  try {
    response = await fetchFn(url, {
      headers: { Accept: 'application/health+json', 'User-Agent': 'edge-canary-statuspage-sync' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    return { url, reachable: false, problem: describeFetchFailure(error, options.timeoutMs) };
  }
  return interpretBody(url, response.status, body);
}

export function readCanaries(urls: string[], options: ReadCanaryOptions): Promise<CanaryReading[]> {
  return Promise.all(urls.map((url) => readCanary(url, options)));
}

function interpretBody(url: string, httpStatus: number, body: string): CanaryReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { url, reachable: false, problem: `HTTP ${httpStatus} with a body that is not JSON` };
  }
  const statuspage = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).statuspage : undefined;
  if (statuspage === undefined) {
    return { url, reachable: false, problem: `HTTP ${httpStatus} JSON has no "statuspage" field` };
  }
  if (!isStatuspageStatus(statuspage)) {
    return { url, reachable: false, problem: `HTTP ${httpStatus} "statuspage" is ${JSON.stringify(statuspage)}, not a known status` };
  }
  return { url, reachable: true, status: statuspage, httpStatus };
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === undefined) return cause.message;
    return cause.message.includes(code) ? cause.message : `${cause.message} (${code})`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}
