/** The local stack for end-to-end tests: ephemeral ports, quiet logs, every request a fresh probe, on the runtime asked for. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startStack } from '../../scripts/stack/stack';
import type { Stack, StackOptions } from '../../scripts/stack/stack';
import type { ConfigOverrides } from '../../scripts/stack/manifest';
import type { Runtime } from '../../scripts/stack/runtime';

export type { Stack } from '../../scripts/stack/stack';

/** Small enough that a hang fault costs a test about a second, large enough for a loaded CI box. */
export const TEST_DEADLINE_MS = 2000;

export function startTestStack(runtime: Runtime, config: ConfigOverrides = {}, options: StackOptions = {}): Promise<Stack> {
  return startStack({
    runtime,
    canaryPort: 0,
    emulatorPort: 0,
    uploaderIntervalMs: 60_000,
    config: { result_ttl_ms: '0', deadline_ms: String(TEST_DEADLINE_MS), ...config },
    platform: { log: () => undefined },
    ...options,
  });
}

/**
 * One stack for a whole suite: started before its first test, repaired after each, closed after
 * the last. Returns the running stack (call it inside a test or hook).
 */
export function useRepairedTestStack(runtime: Runtime): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(runtime);
  });
  afterEach(() => (stack === undefined ? undefined : repairStack(stack)));
  afterAll(() => stack?.close());
  return () => {
    if (stack === undefined) throw new Error('the suite\'s test stack did not start');
    return stack;
  };
}

/** Puts back what a test may have broken: faults, clock, keys, and the bucket with a fresh canary. */
export async function repairStack(stack: Stack): Promise<void> {
  stack.emulator.reset();
  stack.emulator.createBucket(stack.bucket);
  await stack.writeCanary();
}

export interface OriginFetchEntry {
  status: string;
  reason: string;
  httpStatus: number | null;
  errorCode: string | null;
  attempts: number;
}

export interface HealthBody {
  status: 'pass' | 'warn' | 'fail';
  reason: string;
  output: string;
  ageSeconds: number | null;
  checks: {
    'origin:fetch': [OriginFetchEntry];
    'origin:freshness': [{ status: string; reason: string; observedValue: number | null; writtenAt: string | null; sequence: number | null }];
  };
}

export interface HealthAnswer {
  httpStatus: number;
  body: HealthBody;
  origin: OriginFetchEntry;
  elapsedMs: number;
}

export async function getHealth(canaryUrl: string): Promise<HealthAnswer> {
  const started = performance.now();
  const response = await fetch(`${canaryUrl}/health`);
  const body = (await response.json()) as HealthBody;
  return { httpStatus: response.status, body, origin: body.checks['origin:fetch'][0], elapsedMs: performance.now() - started };
}

/** The canary's signed reads the emulator saw (the uploader's JSON API calls left out). */
export function objectReads(stack: Stack) {
  return stack.emulator.requestLog().filter((entry) => entry.auth !== 'json');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
