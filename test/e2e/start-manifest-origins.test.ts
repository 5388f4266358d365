/**
 * `npm start --manifest FILE` whose `origins` lists the buckets itself: one S3-compatible origin
 * alone, and a GCS primary with an R2 fallback sharing nothing. The stack must start (the
 * uploader writes S3-compatible buckets with its own key, which the emulator must know), and the
 * banner must describe the origins the manifest lists, not a one-bucket GCS stack.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { pollUntil, spawnStart, stopProcess } from './start-process';

const STARTUP_BOUND_MS = 30_000;

const S3_ORIGIN = {
  role: 'primary', backend: 'files', bucket: 'files-s3', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'files',
};
const GCS_ORIGIN = {
  role: 'primary', backend: 'gcs', bucket: 'files-gcs', object: 'edge-canary/canary.json', signing: 'goog4', credential: 'hmac',
};
const B2_FALLBACK_SHARING = {
  role: 'fallback', backend: 'b2', bucket: 'files-b2', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 's3.us-east-005.backblazeb2.com', region: 'us-east-005', provider: 'b2', credential: 'files',
};
const R2_FALLBACK = {
  role: 'fallback', backend: 'r2', bucket: 'files-r2', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 'example.r2.cloudflarestorage.com', region: 'auto', provider: 'r2', credential: 'r2',
};

function manifestToml(origins: readonly object[]): string {
  const backends = [...new Set(origins.map((o) => (o as { backend: string }).backend))]
    .map((name) => `  [local_server.backends.${name}]\n    url = "http://127.0.0.1:4443"\n`).join('\n');
  const secret = (key: string, data: string) => `  [[local_server.secret_stores.canary_secrets]]\n    key = "${key}"\n    data = "${data}"\n`;
  return [
    '[local_server]',
    backends,
    '  [local_server.config_stores.canary_config]',
    '    format = "inline-toml"',
    '    [local_server.config_stores.canary_config.contents]',
    `      origins = '${JSON.stringify(origins)}'`,
    '      result_ttl_ms = "0"',
    '',
    secret('files_access_id', 'AKIAMANIFESTFILES001'),
    secret('files_secret', 'manifest-files-secret-edge-canary-0001'),
    secret('hmac_access_id', 'GOOG1EMANIFESTGCS0000000000000000000000000000000000000000000'),
    secret('hmac_secret', 'bWFuaWZlc3QtZ2NzLXNlY3JldC1lZGdlLWNhbmFyeQ=='),
    secret('r2_access_id', 'r2manifestaccessid0000000000000000'),
    secret('r2_secret', 'manifest-r2-secret-edge-canary-000000000000000000000000000000'),
  ].join('\n');
}

interface Seen { httpStatus: number; status: string; output: string; checks: Record<string, [{ status: string; reason: string; httpStatus: number | null; errorCode: string | null }]> }

async function health(canary: string): Promise<Seen | null> {
  const response = await fetch(`${canary}/health?format=json`).catch(() => null);
  return response === null ? null : { httpStatus: response.status, ...((await response.json()) as Omit<Seen, 'httpStatus'>) };
}

const sh = promisify(execFile);

/** The banner's secret-rotation promises: the command, and per broken origin the reason, status and code it names. */
function rotationPromises(stdout: string): { command: string; httpStatus: number; effects: { target: string; reason: string; httpStatus: number; code: string }[] }[] {
  const lines = stdout.split('\n');
  return lines.flatMap((line, index) => {
    if (!line.trim().startsWith('# its secret rotated')) return [];
    const effects = [...line.matchAll(/(origin:\S+) (auth_failed) \((\d+) (\w+)\)/g)]
      .map((m) => ({ target: m[1] ?? '', reason: m[2] ?? '', httpStatus: Number(m[3]), code: m[4] ?? '' }));
    const httpStatus = Number(/\/health answers (\d+)/.exec(line)?.[1]);
    return [{ command: (lines[index + 1] ?? '').trim(), httpStatus, effects }];
  });
}

describe('npm start --manifest FILE listing origins', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('refuses --one-bucket, which would be ignored: the manifest lists its origins itself', async () => {
    dir = makeTempDir('edge-canary-start-manifest-');
    const manifest = dir.write('fastly.toml', manifestToml([S3_ORIGIN]));
    const run = await spawnStart(['--runtime', 'node', '--one-bucket', '--port', '0', '--emulator-port', '0', '--manifest', manifest]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--one-bucket keeps the manifest's one bucket without the archive beside it, but ${manifest} lists origins, served as listed: drop --one-bucket`);
    expect(run.stdout).toBe('');
  }, STARTUP_BOUND_MS);

  it.each([
    { name: 'one S3 origin', origins: [S3_ORIGIN], targets: ['origin:primary'] },
    { name: 'a GCS primary and an R2 fallback', origins: [GCS_ORIGIN, R2_FALLBACK], targets: ['origin:primary', 'origin:fallback'] },
    { name: 'an S3 primary and a B2 fallback on one credential', origins: [S3_ORIGIN, B2_FALLBACK_SHARING], targets: ['origin:primary', 'origin:fallback'] },
  ])('$name: starts, passes, and the banner lists each origin and what rotating each secret does, as /health then says', async ({ origins, targets }) => {
    dir = makeTempDir('edge-canary-start-manifest-');
    const manifest = dir.write('fastly.toml', manifestToml(origins));
    const start = spawnStart(['--runtime', 'node', '--port', '0', '--emulator-port', '0', '--manifest', manifest]);
    try {
      const { canary } = await start.urls;
      const seen = await pollUntil(() => health(canary), (s) => s.status === 'pass', Date.now() + STARTUP_BOUND_MS, 100);
      expect(seen?.status).toBe('pass');
      expect(Object.keys(seen?.checks ?? {})).toEqual(targets.flatMap((t) => [`${t}:fetch`, `${t}:freshness`]));
      const { stdout } = start.output();
      for (const origin of origins) {
        const scheme = 'provider' in origin ? 's3' : 'gs';
        expect(stdout).toContain(`${scheme}://${origin.bucket}/${origin.object}`);
      }
      expect(stdout).toContain(`uploader   writes ${origins.length === 1 ? 'it' : `all ${origins.length}`}`);
      expect(stdout).toContain('Break the primary');
      expect(stdout).not.toContain('June 2022 incident: the bucket\'s HMAC secret changes');

      const promises = rotationPromises(stdout);
      expect(promises).toHaveLength(origins.length);
      for (const promise of promises) {
        await sh('sh', ['-c', promise.command]);
        const broken = await pollUntil(() => health(canary), (s) => s.status !== 'pass', Date.now() + STARTUP_BOUND_MS, 100);
        expect(broken?.httpStatus).toBe(promise.httpStatus);
        const seenEffects = targets.filter((t) => broken?.checks[`${t}:fetch`]?.[0].status !== 'pass').map((target) => {
          const check = broken?.checks[`${target}:fetch`]?.[0];
          return { target, reason: check?.reason, httpStatus: check?.httpStatus, code: check?.errorCode };
        });
        expect(seenEffects).toEqual(promise.effects);
        await sh('sh', ['-c', `curl -s -XPOST ${(await start.urls).emulator}/_emulator/keys/restore`]);
        expect((await pollUntil(() => health(canary), (s) => s.status === 'pass', Date.now() + STARTUP_BOUND_MS, 100))?.status).toBe('pass');
      }
    } finally {
      await stopProcess(start, 'SIGTERM');
    }
  }, STARTUP_BOUND_MS * 2);
});
