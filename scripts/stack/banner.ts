/** What `npm start` prints once the stack is up: where things are, what serves the canary, and commands to paste. */
import { breakAndMendLines, originLines, originUrl } from './banner-origins';
import type { BannerOrigin } from './banner-origins';
import { describeRuntime } from './runtime';
import type { Runtime } from './runtime';

export interface BannerInput {
  canaryUrl: string;
  runtime: Runtime;
  emulatorUrl: string;
  bucket: string;
  object: string;
  /** The dev key's access id (public); null when the canary does not sign. */
  accessId: string | null;
  uploaderIntervalMs: number;
  sequence: number;
  /** The first /health answer, as the user would see it. */
  firstCheck: { status: string; reason: string; elapsedMs: number };
  resultTtlMs: number;
  /** The buckets the config's `origins` lists, primary first (the banner shows how to break each); absent for the flat keys. */
  origins?: readonly BannerOrigin[];
}

/** Milliseconds as the banner writes them: "1.3 s". */
export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

export function renderBanner(input: BannerInput): string {
  const { canaryUrl: canary, emulatorUrl: emulator, firstCheck } = input;
  const lines = [
    `edge-canary local stack: /health says ${firstCheck.status} (${firstCheck.reason}) ${seconds(firstCheck.elapsedMs)} after start`,
    '',
    `  canary     ${canary}/health   (also /metrics, /live, /)`,
    `  runtime    ${input.runtime} - ${describeRuntime(input.runtime)}${input.runtime === 'wasm' ? '' : ' (npm start without --runtime serves bin/main.wasm)'}`,
    `  emulator   ${emulator}   (control API: ${emulator}/_emulator/)`,
  ];
  const origins = input.origins ?? [];
  const every = seconds(input.uploaderIntervalMs);
  // Each check's result is shared for result_ttl_ms, so a break shows on /health after at most that long.
  const wait = input.resultTtlMs > 0 ? `within ${seconds(input.resultTtlMs)}, once the shared result (result_ttl_ms) expires` : 'at once (result_ttl_ms is 0)';
  if (origins.length > 0) {
    const written = origins.length === 1 ? `writes it (${originUrl(origins[0] as BannerOrigin)})` : `writes all ${origins.length} (${origins.map(originUrl).join(', ')})`;
    lines.push(
      ...originLines(origins),
      `  uploader   ${written}, sequence ${input.sequence}, every ${every}`,
      '', 'Try:', `  curl -s '${canary}/health?format=text'`, `  curl -si '${canary}/health'`, '',
      `Each break below shows on /health ${wait}.`,
      ...breakAndMendLines({ origins, emulatorUrl: emulator, uploaderEvery: every }),
    );
    lines.push('', 'Ctrl-C stops all three.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `  uploader   gs://${input.bucket}/${input.object}, sequence ${input.sequence}, rewritten every ${every}`,
    '',
    'Try:',
    `  curl -s '${canary}/health?format=text'`,
    `  curl -si '${canary}/health'`,
  );
  if (input.accessId !== null) {
    lines.push(
      '  # the June 2022 incident: the bucket\'s HMAC secret changes, the canary still signs with the old one',
      `  curl -s -XPOST ${emulator}/_emulator/keys/rotate -d '{"accessId":"${input.accessId}"}'`,
      `  #   /health answers 503 auth_failed (SignatureDoesNotMatch) ${wait}; undo it with:`,
      `  curl -s -XPOST ${emulator}/_emulator/keys/restore`,
    );
  }
  lines.push('', 'Ctrl-C stops all three.');
  return `${lines.join('\n')}\n`;
}
