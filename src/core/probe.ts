/**
 * One check of one target: up to `attempts` tries, all inside the shared deadline, each classified
 * into a reason code; then the freshness of the body it got. Everything is recorded, nothing thrown.
 */
import type { Abandonment } from './abandon';
import { attemptWithin, failure, type Attempt } from './attempt';
import { judgeFreshness, readCapped } from './canary';
import { MAX_ERROR_BODY_BYTES, classifyHttpFailure, extractErrorCode, findCacheEvidence, isRetryable } from './classify';
import type { CanaryConfig } from './config';
import { inspectStoreBody } from './integrity';
import type { OriginConfig } from './origins';
import { signObjectRequest } from './sign';
import {
  BACKEND_EDGE,
  type BackendName, type FetchCheck, type FreshnessCheck, type Platform, type Target, type TargetResult,
} from './types';

export const USER_AGENT = 'edge-canary/0.1';
const RETRY_PAUSE_MS = 100;
/**
 * No retry starts with less time left than this. A signed GET from a POP to the bucket takes
 * 50-300 ms with a cold TLS connection; a retry started later would mostly be cut off by the
 * deadline, and cutting it off only costs the origin a request whose answer nobody waits for.
 */
export const MIN_ATTEMPT_MS = 500;

export interface Credentials {
  accessId: string;
  secret: string;
}

export interface ProbeInput {
  platform: Platform;
  config: CanaryConfig;
  /** The bucket to read and how: one of config.origins. */
  origin: OriginConfig;
  credentials: Credentials | null;
  /** Epoch ms by which every attempt of every check must be over. */
  deadlineAt: number;
}

/** The settings that judge an edge reading: attempts, freshness limits and the backend header. */
export type EdgeJudgement = Pick<CanaryConfig, 'attempts' | 'warnAgeSeconds' | 'maxAgeSeconds' | 'edgeBackendHeader' | 'edgeExpectedBackend'>;

/**
 * What the edge check needs and no more, so a caller other than the canary (the pre-activation gate,
 * reading through Fastly staging) gets exactly the canary's judgement without its origin settings.
 */
export interface EdgeProbeInput {
  platform: Pick<Platform, 'fetchBackend' | 'now'>;
  config: EdgeJudgement;
  deadlineAt: number;
}

interface FetchPlan {
  target: Target;
  backend: BackendName;
  componentId: string;
  buildRequest(now: number): Promise<Request>;
  /** Extra judgement of a 200 reply before its body is trusted. */
  screen(response: Response): Attempt | null;
  /** Whose checksum headers vouch for the body. */
  provider: OriginConfig['provider'];
}

export function probeOrigin(input: ProbeInput): Promise<TargetResult> {
  const { origin, credentials } = input;
  const location = { host: origin.originHost, bucket: origin.bucket, object: origin.object, urlStyle: origin.urlStyle };
  return runCheck(input, {
    target: origin.target,
    backend: origin.backend,
    componentId: `${origin.provider === 'gcs' ? 'gs' : 's3'}://${origin.bucket}/${origin.object}`,
    provider: origin.provider,
    async buildRequest(now) {
      const signed = await signObjectRequest({
        method: 'GET', location, scheme: origin.signing, region: origin.region, date: new Date(now),
        accessId: credentials?.accessId ?? '', secret: credentials?.secret ?? '',
        // S3 sends an object's x-amz-checksum-crc32c only when asked (and x-amz-* headers must be signed).
        ...(origin.provider === 'gcs' ? {} : { extraAmzHeaders: { 'x-amz-checksum-mode': 'ENABLED' } }),
      });
      return new Request(signed.url, { method: 'GET', headers: { ...signed.headers, 'user-agent': USER_AGENT } });
    },
    screen: () => null,
  });
}

export function probeEdge(input: EdgeProbeInput, edgeUrl: string): Promise<TargetResult> {
  return runCheck(input, {
    target: 'edge',
    backend: BACKEND_EDGE,
    componentId: edgeUrl,
    // Production passes GCS's x-goog-hash through; it has no S3 checksum to keep.
    provider: 'gcs',
    async buildRequest() {
      return new Request(edgeUrl, { method: 'GET', headers: { 'user-agent': USER_AGENT, 'cache-control': 'no-cache' } });
    },
    screen(response) {
      const { edgeBackendHeader: header, edgeExpectedBackend: value } = input.config;
      const evidence = findCacheEvidence(response.headers, header && value ? { header, value } : undefined);
      if (!evidence) return null;
      return { reason: evidence.reason, httpStatus: response.status, errorCode: null, detail: evidence.detail, content: null };
    },
  });
}

async function runCheck(input: EdgeProbeInput, plan: FetchPlan): Promise<TargetResult> {
  const { platform, config, deadlineAt } = input;
  const started = platform.now();
  let attempts = 0;
  let lastComplete: Attempt | null = null;
  let outcome: Attempt;
  for (;;) {
    attempts++;
    const result = await attemptWithin(deadlineAt - platform.now(), (abandonment) => attemptOnce(platform, plan, abandonment));
    if (result.cutOff) {
      // A late 5xx stays a 5xx: the retry the deadline cut off told us nothing new.
      outcome = lastComplete ? { ...lastComplete, detail: `${lastComplete.detail}; attempt ${attempts} cut off by the deadline` } : result.attempt;
      break;
    }
    outcome = lastComplete = result.attempt;
    const remaining = deadlineAt - platform.now();
    if (!isRetryable(outcome.reason) || attempts >= config.attempts || remaining < RETRY_PAUSE_MS + MIN_ATTEMPT_MS) break;
    await sleep(RETRY_PAUSE_MS);
  }
  const fetch: FetchCheck = {
    target: plan.target,
    componentId: plan.componentId,
    status: outcome.reason === 'ok' ? 'pass' : 'fail',
    reason: outcome.reason,
    httpStatus: outcome.httpStatus,
    errorCode: outcome.errorCode,
    attempts,
    durationMs: platform.now() - started,
    time: new Date(started).toISOString(),
    detail: outcome.detail,
  };
  return { fetch, freshness: judge(plan.target, outcome, platform.now(), config) };
}

function judge(target: Target, outcome: Attempt, now: number, config: EdgeJudgement): FreshnessCheck {
  if (!outcome.content) {
    return {
      target, status: 'fail', reason: outcome.reason, ageSeconds: null, writtenAt: null, sequence: null,
      detail: 'no canary object to judge',
    };
  }
  const { writtenAt, writtenAtMs, sequence } = outcome.content;
  const freshness = judgeFreshness(writtenAtMs, now, config);
  return { target, writtenAt, sequence, ...freshness };
}

/**
 * Throws what the backend throws, while connecting or while the body is read; attemptWithin
 * classifies it. Once abandoned, the body is cancelled, including a response that arrives late.
 */
async function attemptOnce(platform: EdgeProbeInput['platform'], plan: FetchPlan, abandonment: Abandonment): Promise<Attempt> {
  const request = await plan.buildRequest(platform.now());
  // Signing can outlast a deadline that was nearly up: then no request is sent at all.
  if (abandonment.abandoned) return failure('timeout', null, null, 'deadline passed before the request was sent');
  const response = await platform.fetchBackend(plan.backend, request, abandonment);
  if (abandonment.abandoned) {
    await response.body?.cancel().catch(() => undefined);
    return failure('timeout', null, null, 'answered after the deadline');
  }
  if (response.status !== 200) {
    const errorBody = await readCapped(response.body, MAX_ERROR_BODY_BYTES, abandonment);
    const errorCode = extractErrorCode(new TextDecoder().decode(errorBody.bytes));
    const reason = classifyHttpFailure(response.status, errorCode);
    return failure(reason, response.status, errorCode, `HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}`);
  }
  const screened = plan.screen(response);
  if (screened) {
    await response.body?.cancel().catch(() => undefined);
    return screened;
  }
  const verdict = inspectStoreBody(await readCapped(response.body, undefined, abandonment), response.headers, plan.provider);
  if (!verdict.ok) return failure(verdict.reason, 200, null, verdict.detail);
  return { reason: 'ok', httpStatus: 200, errorCode: null, detail: 'HTTP 200', content: verdict.content };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
