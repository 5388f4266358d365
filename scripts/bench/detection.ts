/**
 * Detection: the bucket's HMAC key is rotated on the emulator (the June 2022 incident) right after
 * the coalescing canary took a fresh result, the worst moment; /health is polled every 100 ms until
 * it answers 503. Keys are restored afterwards, and the canary is seen healthy again.
 */
import { controlRequest } from './http';
import type { BenchStack } from './stack';

const POLL_MS = 100;

export interface DetectionResult {
  /** From the rotation to the first 503; null when none came in time. */
  detectedMs: number | null;
  reason: string | null;
  polls: number;
}

interface Poll {
  status: number;
  shared: boolean;
  reason: string;
}

async function poll(url: string): Promise<Poll> {
  const response = await fetch(`${url}/health`);
  const report = (await response.json()) as { shared?: boolean; reason?: string };
  return { status: response.status, shared: report.shared === true, reason: report.reason ?? '' };
}

async function pollUntil(url: string, done: (answer: Poll) => boolean, limitMs: number): Promise<{ answer: Poll | null; polls: number }> {
  const deadline = performance.now() + limitMs;
  let polls = 0;
  while (performance.now() < deadline) {
    const started = performance.now();
    const answer = await poll(url);
    polls++;
    if (done(answer)) return { answer, polls };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - started))));
  }
  return { answer: null, polls };
}

export async function measureDetection(stack: BenchStack): Promise<DetectionResult> {
  const limitMs = stack.resultTtlMs + 10_000;
  const fresh = await pollUntil(stack.canaryOn.url, (answer) => answer.status === 200 && !answer.shared, limitMs);
  if (fresh.answer === null) throw new Error('the coalescing canary never took a fresh passing result');
  await controlRequest(stack.emulatorUrl, 'POST', '/keys/rotate', { accessId: stack.credentials.accessId });
  const rotatedAt = performance.now();
  try {
    const failed = await pollUntil(stack.canaryOn.url, (answer) => answer.status === 503, limitMs);
    return {
      detectedMs: failed.answer === null ? null : performance.now() - rotatedAt,
      reason: failed.answer?.reason ?? null,
      polls: failed.polls,
    };
  } finally {
    await controlRequest(stack.emulatorUrl, 'POST', '/keys/restore');
    // Leave the canary healthy for whatever runs next.
    await pollUntil(stack.canaryOn.url, (answer) => answer.status === 200, limitMs);
  }
}
