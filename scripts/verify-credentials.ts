/**
 * `npm run verify`: performs exactly the signed GET the edge performs (the same src/core code) with
 * the credential you are about to deploy, and prints the same verdict, reason, origin error code,
 * masked access id and secret fingerprint. Exit 0 pass/warn, 1 usage or configuration error, 2 fail.
 */
import { runHealthCheck } from '../src/core/check';
import { renderHealthJson } from '../src/core/render/json';
import { renderText } from '../src/core/render/text';
import { BACKEND_GCS, CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../src/core/types';
import type { Report } from '../src/core/types';
import { cliPrefix, reportCrash } from '../src/node/cli-kit';
import { ManifestError } from '../src/node/manifest';
import { createNodePlatform } from '../src/node/platform';
import { compareWithDeployed } from './verify/compare';
import { runOriginsVerify } from './verify/origins-command';
import { ConfigurationError, type OriginsVerifyOptions } from './verify/origins-options';
import { readOptions, UsageError, USAGE, type VerifyOptions } from './verify/options';

const PREFIX = cliPrefix('verify');

async function main(argv: string[], io = { env: process.env, stdin: readStdin }): Promise<number> {
  let options: VerifyOptions | OriginsVerifyOptions;
  try {
    const command = await readOptions(argv, io.env, io.stdin);
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = command;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
      return 1;
    }
    if (error instanceof ManifestError) {
      process.stderr.write(`${PREFIX} ${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${PREFIX} ${error.errors.join('\n  ')}\n`);
      return 1;
    }
    throw error;
  }
  for (const warning of options.warnings) process.stderr.write(`${PREFIX} warning: ${warning}\n`);
  if (options.kind === 'verify-origins') {
    return runOriginsVerify(options, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }, PREFIX);
  }
  const report = await verify(options);
  if (report.reason === 'misconfigured') {
    process.stderr.write(`${PREFIX} ${report.configErrors.join('\n  ')}\n`);
    return 1;
  }
  const comparison = options.compareHealth && report.credential ? await compareWithDeployed(options.compareHealth, report.credential) : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...JSON.parse(renderHealthJson(report)), ...(comparison ? { comparison } : {}) })}\n`);
  } else {
    process.stdout.write(renderText(report));
    if (comparison) process.stdout.write(`${comparison.line}\n`);
  }
  // A comparison that was asked for and could not be made is no proof: it fails like a mismatch.
  return report.status === 'fail' || (comparison !== null && comparison.matches !== true) ? 2 : 0;
}

async function verify(options: VerifyOptions): Promise<Report> {
  const secrets = new Map<string, { kind: 'value'; value: string }>();
  if (options.accessId !== null) secrets.set(SECRET_ACCESS_ID, { kind: 'value', value: options.accessId });
  if (options.secret !== null) secrets.set(SECRET_SECRET, { kind: 'value', value: options.secret });
  const platform = createNodePlatform(
    {
      file: '(verify flags)',
      backends: new Map([[BACKEND_GCS, { name: BACKEND_GCS, url: new URL(options.originUrl), overrideHost: null, certHost: null, useSni: true }]]),
      configStores: new Map([[CONFIG_STORE, new Map(Object.entries(options.config))]]),
      secretStores: new Map([[SECRET_STORE, secrets]]),
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

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error));
