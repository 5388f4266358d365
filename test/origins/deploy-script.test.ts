/**
 * docs/deploy.md's Fastly CLI script for several origins, run as pasted (bash, `set -euo
 * pipefail`) against a fake `npx fastly` holding a Config Store: whichever flat keys a setup
 * happened to set, the script ends with `origins` alone in their place, and never stops half way
 * with both forms set (the canary answers `misconfigured` then).
 */
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from '../support/doc-commands';
import type { FakeStore } from '../support/fake-fastly-cli';
import { docText } from '../support/readme-snippets';
import { JQ, requireTools } from '../support/required-tool';
import { REPO_ROOT } from '../support/spawn-script';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const [jq] = requireTools([JQ]);

/** The section's last shell block: the one that sets `origins` and removes the flat keys. */
function originsScript(): string {
  const page = docText('docs/deploy.md');
  const section = page.slice(page.indexOf('## Several origins'), page.indexOf('## Later deploys'));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const script = blocks.find((block) => block.includes('--key origins'));
  if (script === undefined) throw new Error('docs/deploy.md has no shell block setting origins under "## Several origins"');
  return script;
}

describe.skipIf(jq === undefined)("docs/deploy.md's script for several origins, against a fake Fastly CLI", () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir('edge-canary-deploy-script-');
    // npx is the fake: the Config Store commands go to the fake CLI; the backend, secret and
    // activation commands succeed (a secret read from its pipe, an empty list for a list); jq, bash
    // and coreutils are the machine's.
    mkdirSync(`${dir.path}/bin`);
    const npx = dir.write('bin/npx', [
      '#!/bin/sh',
      'case "$2" in',
      `  config-store|config-store-entry) cd '${REPO_ROOT}' && exec '${process.execPath}' --import tsx test/support/fake-fastly-cli.ts "$@" ;;`,
      '  secret-store-entry) cat > /dev/null ;;',
      '  *) if [ "$3" = list ]; then echo "[]"; fi ;;',
      'esac',
      '',
    ].join('\n'));
    chmodSync(npx, 0o755);
  });
  afterEach(() => dir.remove());

  /** The script on a store holding `items`; `strict` runs it as a script does (set -euo pipefail), else as pasted into a shell. */
  async function runWith(items: Record<string, string>, { strict = true, refuseDelete = [] as string[] } = {}): Promise<{ code: number; output: string; items: Record<string, string> }> {
    const state = dir.write('store.json', JSON.stringify({ id: 'cfg-1', name: 'canary_config', items, refuseDelete } satisfies FakeStore));
    const script = dir.write('script.sh', `${strict ? 'set -euo pipefail\n' : ''}${originsScript()}`);
    const env = [
      `PATH=${dir.path}/bin:/usr/bin:/bin`, `FAKE_FASTLY_STATE=${state}`,
      'B2_KEY_ID=k1', 'B2_APPLICATION_KEY=k2', 'ARCHIVE_ACCESS_KEY_ID=k3', 'ARCHIVE_SECRET_ACCESS_KEY=k4',
    ];
    const result = await runTool('/usr/bin/env', ['-i', ...env, 'bash', script]);
    return { ...result, items: (JSON.parse(readFileSync(state, 'utf8')) as FakeStore).items };
  }

  it.each([
    ['the three keys a flat setup needs', { bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'goog4' }],
    ['every flat key', { bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'aws4', origin_host: 's3.example.org', url_style: 'virtual', region: 'eu-1' }],
    ['two of the optional ones', { bucket: 'pkg-files', object: 'edge-canary/canary.json', region: 'eu-1' }],
  ])('a store holding %s ends with origins alone in their place, the other keys kept', async (_name, flat) => {
    const run = await runWith({ ...flat, deadline_ms: '8000' });
    expect(run.code, run.output).toBe(0);
    expect(Object.keys(run.items).sort()).toEqual(['deadline_ms', 'origins']);
    expect(run.output).not.toContain('still set beside origins');
  });

  it('pasted without set -e, a delete the API refuses is named: which flat keys are still set beside origins', async () => {
    const run = await runWith({ bucket: 'pkg-files', object: 'edge-canary/canary.json', signing: 'goog4' }, { strict: false, refuseDelete: ['object'] });
    expect(run.output).toContain('503 - Service Unavailable: deleting item object');
    expect(run.output).toContain('still set beside origins (the canary stays misconfigured): object');
    expect(Object.keys(run.items).sort()).toEqual(['object', 'origins']);
  });

  it('as a script (set -e), a delete the API refuses stops it with the error', async () => {
    const run = await runWith({ bucket: 'pkg-files', object: 'edge-canary/canary.json' }, { refuseDelete: ['bucket'] });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('503 - Service Unavailable: deleting item bucket');
  });
});
