/**
 * The pipeline examples: the workflow parses, Terraform never activates the production service, and
 * the gate and Fastly CLI commands they run exist with the flags they use.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGateArgs } from '../../scripts/gate/args';
import { REPO_ROOT } from '../support/spawn-script';

const run = promisify(execFile);
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

interface Step { name?: string; run?: string; uses?: string; 'working-directory'?: string }
interface Workflow { jobs: Record<string, { env: Record<string, string>; steps: Step[] }> }

/** The words of a shell command, with line continuations joined and $VARS replaced by sample values. */
function words(command: string, samples: Record<string, string>): string[] {
  const joined = command.replace(/\\\n/g, ' ').replace(/>\s*\S+/g, '');
  return [...joined.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\$\{?(\w+)\}?/g, (_all, name: string) => samples[name] ?? `$${name}`));
}

function gateArgs(command: string, samples: Record<string, string>): string[] {
  const all = words(command.slice(command.indexOf('npm run')), samples);
  return all.slice(all.indexOf('--') + 1);
}

const samples = { SERVICE_ID: 'SU1Z0isxPaozGVKXdv0eY', DRAFT_VERSION: '42', VERSION: '42', CANARY_URL: 'https://files.example.org/edge-canary/canary.json' };

describe('deploy/pipelines/github-actions.yml', () => {
  const workflow = parse(read('deploy/pipelines/github-actions.yml')) as Workflow;
  const job = Object.values(workflow.jobs)[0];
  const steps = job?.steps ?? [];
  const gateStep = steps.find((s) => s.run?.includes('npm run gate'));

  it('applies Terraform with activate = false, then gates with --activate', () => {
    const apply = steps.findIndex((s) => s.run?.includes('terraform apply'));
    expect(steps[apply]?.run).toContain('-var activate=false');
    expect(steps.indexOf(gateStep ?? {})).toBeGreaterThan(apply);
    expect(steps[apply]?.['working-directory']).toBe('deploy/pipelines/production-service');
    expect(steps[apply]?.run).toContain('terraform output -raw draft_version');
  });

  it('runs the gate with flags it accepts, the token from the environment only', () => {
    const args = gateArgs(gateStep?.run ?? '', samples);
    expect(args).toContain('--activate');
    const options = parseGateArgs(args, { FASTLY_API_TOKEN: 'sample-token' });
    expect(options).toMatchObject({ serviceId: samples.SERVICE_ID, version: 42, activate: true, confirm: 3, json: true });
    expect(job?.env.FASTLY_API_TOKEN).toBe('${{ secrets.FASTLY_API_TOKEN }}');
    expect(gateStep?.run).not.toMatch(/TOKEN/);
  });
});

describe('deploy/pipelines/fastly-cli.sh', () => {
  const script = read('deploy/pipelines/fastly-cli.sh');

  it('is valid bash, and ends with the gate activating the draft', async () => {
    await run('bash', ['-n', join(REPO_ROOT, 'deploy/pipelines/fastly-cli.sh')]);
    const gateLine = script.split('\n').find((line) => line.startsWith('npm run --silent gate')) ?? '';
    const options = parseGateArgs(gateArgs(gateLine, samples), { FASTLY_API_TOKEN: 'sample-token' });
    expect(options).toMatchObject({ version: 42, activate: true });
    expect(script).not.toMatch(/service-version activate/);
  });

  it('uses Fastly CLI commands and flags that exist', async () => {
    const commands = [...script.matchAll(/^(?:\S+=\$\()?npx fastly ([a-z-]+(?: [a-z-]+)*?) (--[^|)\n]*)/gm)];
    expect(commands.map((m) => m[1])).toEqual(['service-version clone', 'vcl snippet update']);
    for (const [, command = '', flags = ''] of commands) {
      const { stdout, stderr } = await run(join(REPO_ROOT, 'node_modules/.bin/fastly'), [...command.split(' '), '--help'], { timeout: 30_000 });
      const help = stdout + stderr;
      for (const flag of flags.match(/--[a-z-]+/g) ?? []) expect(help, `fastly ${command} ${flag}`).toContain(flag);
    }
  });
});
