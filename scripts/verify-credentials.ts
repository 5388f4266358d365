/**
 * `npm run verify`: performs exactly the signed GET the edge performs (the same src/core code) with
 * the credential you are about to deploy, and prints the same verdict, reason, origin error code,
 * masked access id and secret fingerprint. Exit 0 pass/warn, 1 usage or configuration error, 2 fail.
 */
import { runHealthCheck } from '../src/core/check';
import { renderHealthJson } from '../src/core/render/json';
import { renderText } from '../src/core/render/text';
import type { Report } from '../src/core/types';
import { ManifestError } from '../src/node/manifest';
import { createNodePlatform } from '../src/node/platform';
import { compareWithDeployed } from './verify/compare';
import { readOptions, UsageError, USAGE, type VerifyOptions } from './verify/options';

export async function main(argv: string[], io = { env: process.env, stdin: readStdin }): Promise<number> {
  let options: VerifyOptions;
  try {
    options = await readOptions(argv, io.env, io.stdin);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`edge-canary verify: ${error.message}\n${USAGE}\n`);
      return 1;
    }
    if (error instanceof ManifestError) {
      process.stderr.write(`edge-canary verify: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const report = await verify(options);
  if (report.reason === 'misconfigured') {
    process.stderr.write(`edge-canary verify: ${report.configErrors.join('\n  ')}\n`);
    return 1;
  }
  const comparison = options.compareHealth && report.credential ? await compareWithDeployed(options.compareHealth, report.credential) : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...JSON.parse(renderHealthJson(report)), ...(comparison ? { comparison } : {}) })}\n`);
  } else {
    process.stdout.write(renderText(report));
    if (comparison) process.stdout.write(`${comparison.line}\n`);
  }
  return report.status === 'fail' || comparison?.matches === false ? 2 : 0;
}

export async function verify(options: VerifyOptions): Promise<Report> {
  const secrets = new Map<string, { kind: 'value'; value: string }>();
  if (options.accessId !== null) secrets.set('hmac_access_id', { kind: 'value', value: options.accessId });
  if (options.secret !== null) secrets.set('hmac_secret', { kind: 'value', value: options.secret });
  const platform = createNodePlatform(
    {
      file: '(verify flags)',
      backends: new Map([['gcs', { name: 'gcs', url: new URL(options.originUrl), overrideHost: null, certHost: null, useSni: true }]]),
      configStores: new Map([['canary_config', new Map(Object.entries(options.config))]]),
      secretStores: new Map([['canary_secrets', secrets]]),
    },
    { pop: 'verify', releaseId: 'verify', log: () => undefined },
  );
  try {
    return await runHealthCheck(platform);
  } finally {
    platform.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`edge-canary verify: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
