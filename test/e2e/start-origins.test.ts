/**
 * `npm start` reads two buckets, a GCS primary and an AWS-S3-style archive fallback: each origin
 * is broken with the banner's own commands (run as printed, by sh), and /health gives the verdict
 * the banner promises; the banner's mend commands bring it back to pass.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_MANIFEST } from '../../scripts/stack/stack';
import { describeOnRuntimes } from '../support/runtimes';
import { makeTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';
import { pollUntil, spawnStart, stopProcess } from './start-process';
import type { StartProcess } from './start-process';

const run = promisify(execFile);
const STARTUP_BOUND_MS = 30_000;
const VERDICT_BOUND_MS = 10_000;

interface FetchEntry { status: string; reason: string; errorCode: string | null }
interface Seen {
  httpStatus: number;
  status: string;
  reason: string;
  statuspage: string;
  output: string;
  checks: Record<string, [FetchEntry]>;
}

async function health(canary: string): Promise<Seen | null> {
  const response = await fetch(`${canary}/health?format=json`).catch(() => null);
  if (response === null) return null;
  const body = (await response.json()) as Omit<Seen, 'httpStatus'>;
  return { httpStatus: response.status, ...body };
}

function pollHealth(canary: string, wanted: (seen: Seen) => boolean, boundMs = VERDICT_BOUND_MS): Promise<Seen | null> {
  return pollUntil(() => health(canary), wanted, Date.now() + boundMs, 100);
}

/** The banner's commands by section (`primary`, `origin:fallback`, `mend`), each after its `# ...` comment. */
function bannerCommands(stdout: string): Map<string, { comment: string; command: string }[]> {
  const sections = new Map<string, { comment: string; command: string }[]>();
  let section: { comment: string; command: string }[] | null = null;
  let comment = '';
  for (const line of stdout.split('\n')) {
    const header = /^Break (the primary|\S+) \(/.exec(line);
    if (header) sections.set(header[1] === 'the primary' ? 'primary' : (header[1] ?? ''), (section = []));
    else if (line === 'Mend:') sections.set('mend', (section = []));
    else if (line.trim() === '') section = null;
    else if (section && line.trim().startsWith('#')) comment = line.trim();
    else if (section && line.trim().startsWith('curl ')) section.push({ comment, command: line.trim() });
  }
  return sections;
}

function command(sections: Map<string, { comment: string; command: string }[]>, section: string, about: string): string {
  const found = sections.get(section)?.find((entry) => entry.comment.includes(about));
  if (!found) throw new Error(`the banner has no "${about}" command under ${section}: ${JSON.stringify([...sections])}`);
  return found.command;
}

const sh = (line: string) => run('sh', ['-c', line]);
const fetchOf = (seen: Seen | null, target: string): FetchEntry | undefined => seen?.checks[`${target}:fetch`]?.[0];
const passing = (seen: Seen) => seen.status === 'pass';

describeOnRuntimes('npm start with a GCS primary and an S3 archive fallback', (runtime) => {
  let dir: TempDir;
  let start: StartProcess;
  let urls: { canary: string; emulator: string };
  let sections: ReturnType<typeof bannerCommands>;

  beforeAll(async () => {
    dir = makeTempDir('edge-canary-start-origins-');
    // Every request a fresh check, so each break shows at once; the banner says "at once" too.
    const manifest = dir.write('fastly.toml', readFileSync(DEFAULT_MANIFEST, 'utf8').replace(/result_ttl_ms = "\d+"/, 'result_ttl_ms = "0"'));
    start = spawnStart(['--runtime', runtime, '--port', '0', '--emulator-port', '0', '--manifest', manifest]);
    urls = await start.urls;
    sections = bannerCommands(start.output().stdout);
  }, STARTUP_BOUND_MS);

  afterAll(async () => {
    await stopProcess(start, 'SIGTERM');
    dir.remove();
  });

  it('serves both origins, each read with its own key, and the banner names both', async () => {
    const seen = await pollHealth(urls.canary, passing, STARTUP_BOUND_MS);
    expect([seen?.httpStatus, seen?.status, seen?.output]).toEqual([200, 'pass', expect.stringMatching(/^origin:primary: ok \(200, age \d+s\); origin:fallback: ok \(200, age \d+s\)$/)]);
    const { stdout, stderr } = start.output();
    expect(stdout).toMatch(/^ {2}primary {4}gs:\/\/edge-canary-local\/edge-canary\/canary\.json +GCS, key GOOG1E\S+$/m);
    expect(stdout).toMatch(/^ {2}fallback {3}s3:\/\/edge-canary-archive\/edge-canary\/canary\.json +AWS S3 us-west-2, key AKIA\S+$/m);
    expect(stdout).toContain('Each break below shows on /health at once (result_ttl_ms is 0).');
    expect(stdout).toContain('# its secret rotated, the June 2022 incident: origin:primary auth_failed (403 SignatureDoesNotMatch); /health answers 503 fail');
    expect(stdout).toContain("the uploader's writes to it fail too while the fault lasts");
    expect(stderr).toContain('uploader wrote gs://edge-canary-local/edge-canary/canary.json sequence 1 (generation');
    expect(stderr).toContain('uploader wrote s3://edge-canary-archive/edge-canary/canary.json (s3, s3.us-west-2.amazonaws.com) sequence 1 (etag');
  });

  it.each([
    { section: 'origin:fallback', about: 'secret rotated', httpStatus: 200, status: 'warn', reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch', statuspage: 'operational' },
    { section: 'origin:fallback', about: 'it answers 503', httpStatus: 200, status: 'warn', reason: 'origin_error', errorCode: 'ServiceUnavailable', statuspage: 'operational' },
    { section: 'primary', about: 'secret rotated', httpStatus: 503, status: 'fail', reason: 'auth_failed', errorCode: 'SignatureDoesNotMatch', statuspage: 'major_outage' },
    { section: 'primary', about: 'it answers 503', httpStatus: 503, status: 'fail', reason: 'origin_error', errorCode: 'ServiceUnavailable', statuspage: 'major_outage' },
  ])('$section, $about: $httpStatus $status $reason, and the mend commands bring back pass', async ({ section, about, ...wanted }) => {
    const target = section === 'primary' ? 'origin:primary' : section;
    const other = target === 'origin:primary' ? 'origin:fallback' : 'origin:primary';
    await sh(command(sections, section, about));
    const seen = await pollHealth(urls.canary, (s) => s.status === wanted.status);
    expect({ httpStatus: seen?.httpStatus, status: seen?.status, reason: seen?.reason, errorCode: fetchOf(seen, target)?.errorCode, statuspage: seen?.statuspage }).toEqual(wanted);
    expect(fetchOf(seen, other)?.status).toBe('pass');
    if (target !== 'origin:primary') expect(seen?.output).toContain(`${target}: ${wanted.reason} (`);
    if (target !== 'origin:primary') expect(seen?.output).toContain('the fallback cannot be read; users are unaffected until the primary fails');

    for (const mend of sections.get('mend') ?? []) await sh(mend.command);
    expect((await pollHealth(urls.canary, passing))?.status).toBe('pass');
  });

  it("deleting the fallback's object is 200 warn AccessDenied (S3's answer to a key that may not list), the primary's 503 not_found", async () => {
    await sh(command(sections, 'origin:fallback', 'object deleted'));
    const fallbackGone = await pollHealth(urls.canary, (s) => s.status === 'warn');
    expect([fallbackGone?.httpStatus, fallbackGone?.reason, fetchOf(fallbackGone, 'origin:fallback')?.errorCode]).toEqual([200, 'auth_failed', 'AccessDenied']);

    await sh(command(sections, 'primary', 'object deleted'));
    const bothGone = await pollHealth(urls.canary, (s) => s.status === 'fail');
    expect([bothGone?.httpStatus, bothGone?.reason, fetchOf(bothGone, 'origin:primary')?.errorCode]).toEqual([503, 'not_found', 'NoSuchKey']);
  });
});

it('--one-bucket serves the manifest\'s bucket alone, as before the archive was added', async () => {
  const start = spawnStart(['--runtime', 'node', '--one-bucket', '--port', '0', '--emulator-port', '0']);
  const { canary } = await start.urls;
  const seen = await pollHealth(canary, passing, STARTUP_BOUND_MS);
  const { stdout } = await stopProcess(start, 'SIGTERM');
  expect(Object.keys(seen?.checks ?? {})).toEqual(['origin:fetch', 'origin:freshness']);
  expect(stdout).toMatch(/^ {2}uploader {3}gs:\/\/edge-canary-local\/edge-canary\/canary\.json, sequence 1, rewritten every 30 s$/m);
  expect(stdout).not.toContain('edge-canary-archive');
}, STARTUP_BOUND_MS);
