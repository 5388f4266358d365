/**
 * docs/integrations.md's ready-to-paste setups for Prometheus, blackbox_exporter and check_http, run for real
 * (Debian packages prometheus, prometheus-blackbox-exporter, monitoring-plugins-basic) against a
 * canary served over HTTP, so the documentation cannot drift from what the canary answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { METRICS } from '../../src/core/render/prometheus';
import { REASONS } from '../../src/core/types';
import { serve } from '../../src/node/server';
import { canaryBody, canaryResponse, fakePlatform, gcsError } from '../support/fake-platform';
import { pageCheckHttpArgs as checkHttpArgsOf, runTool as run } from '../support/doc-commands';
import { docFile, docText, readmeText } from '../support/readme-snippets';
import { BLACKBOX_EXPORTER, CHECK_HTTP, PROMTOOL, requireTools } from '../support/required-tool';

// One skip line per missing tool; each tool's tests run whenever that tool is there.
const [promtool, blackbox, checkHttp] = requireTools([PROMTOOL, BLACKBOX_EXPORTER, CHECK_HTTP]);

const PAGE = 'docs/integrations.md';
const pageFile = (name: string) => docFile(PAGE, name);

type State = 'pass' | 'warn' | 'fail';
let state: State = 'pass';

function origin(): Response {
  if (state === 'fail') return gcsError(403, 'SignatureDoesNotMatch');
  return canaryResponse(canaryBody(new Date(Date.now() - (state === 'warn' ? 400_000 : 5_000))));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('docs/integrations.md setups, run for real', () => {
  let dir: string;
  let canary: Awaited<ReturnType<typeof serve>>;
  let healthUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edge-canary-checkers-'));
    canary = await serve(createApp(fakePlatform({ origin })), { port: 0, hostname: '127.0.0.1' });
    healthUrl = `${canary.url}/health`;
  });

  afterAll(async () => {
    await canary?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(promtool === undefined).each(['prometheus.yml', 'prometheus-blackbox.yml'])('promtool accepts the %s scrape config', async (name) => {
    const file = join(dir, name);
    await writeFile(file, pageFile(name));
    const result = await run(promtool!, ['check', 'config', '--syntax-only', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it.skipIf(promtool === undefined)('promtool accepts the alert rules', async () => {
    const file = join(dir, 'rules.yml');
    await writeFile(file, pageFile('edge-canary-rules.yml'));
    const result = await run(promtool!, ['check', 'rules', file]);
    expect(result.output).toContain('SUCCESS: 6 rules found');
    expect(result.code).toBe(0);
  });

  it.skipIf(promtool === undefined)('the origin alert names the canary host and the POP that answered (instance is the hostname)', async () => {
    await writeFile(join(dir, 'rules.yml'), pageFile('edge-canary-rules.yml'));
    const series = (labels: string) => `{job="edge-canary", instance="canary.example.org", ${labels}}`;
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '30s',
      tests: [{
        interval: '30s',
        input_series: [
          { series: `edge_canary_check_success${series('target="origin", check="fetch"')}`, values: '0x10' },
          { series: `edge_canary_info${series('pop="LHR", release_id="12", service="edge-canary"')}`, values: '1x10' },
        ],
        alert_rule_test: [{
          eval_time: '2m',
          alertname: 'EdgeCanaryOriginUnreadable',
          exp_alerts: [{
            exp_labels: { severity: 'page', job: 'edge-canary', instance: 'canary.example.org', target: 'origin', check: 'fetch' },
            exp_annotations: {
              summary: 'The CDN cannot read the canary object from the bucket (canary.example.org, POP LHR)',
              description: /description: >-\n((?:\s{12}.*\n)+)/.exec(pageFile('edge-canary-rules.yml'))![1]!.trim().replace(/\s+/g, ' '),
            },
          }],
        }],
      }],
    };
    // JSON is YAML: promtool reads the test file as YAML.
    await writeFile(join(dir, 'rules-test.yml'), JSON.stringify(test));
    const result = await run(promtool!, ['test', 'rules', join(dir, 'rules-test.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  describe.skipIf(blackbox === undefined)('blackbox_exporter with the documented module', () => {
    let exporter: ChildProcess;
    let probeBase: string;

    beforeAll(async () => {
      const config = join(dir, 'blackbox.yml');
      await writeFile(config, pageFile('blackbox.yml'));
      const check = await run(blackbox!, ['--config.file', config, '--config.check']);
      expect(check.code, check.output).toBe(0);
      const port = await freePort();
      exporter = spawn(blackbox!, ['--config.file', config, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
      probeBase = `http://127.0.0.1:${port}/probe?module=edge_canary&target=`;
      for (let i = 0; i < 50; i++) {
        if (await fetch(`http://127.0.0.1:${port}/-/healthy`).then((r) => r.ok, () => false)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('blackbox_exporter did not start');
    });

    afterAll(() => {
      exporter?.kill('SIGTERM');
    });

    it.each([
      ['pass', 1],
      ['warn', 1],
      ['fail', 0],
    ] as const)('canary %s -> probe_success %i', async (canaryState, success) => {
      state = canaryState;
      const metrics = await (await fetch(`${probeBase}${encodeURIComponent(healthUrl)}`)).text();
      expect(metrics).toMatch(new RegExp(`^probe_success ${success}$`, 'm'));
    });
  });

  describe.skipIf(checkHttp === undefined)('check_http with the documented arguments', () => {
    it.each([
      ['pass', 0],
      ['warn', 0],
      ['fail', 2],
    ] as const)('canary %s -> exit %i', async (canaryState, code) => {
      state = canaryState;
      const { port } = new URL(canary.url);
      const result = await run(checkHttp!, checkHttpArgsOf(PAGE, port));
      expect(result.code, result.output).toBe(code);
    });
  });
});

describe('reference tables', () => {
  it('the README explains every reason code', () => {
    const explained = [...readmeText().matchAll(/^\| `([a-z_]+)` \| (?:pass|warn|fail)/gm)].map((m) => m[1]);
    expect(explained.sort()).toEqual([...REASONS].sort());
  });

  it(`${PAGE} lists exactly the metrics /metrics serves`, () => {
    const documented = [...docText(PAGE).matchAll(/^\| `(edge_canary_[a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(METRICS).sort());
  });
});
