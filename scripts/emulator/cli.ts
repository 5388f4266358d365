/**
 * `npm run emulator -- [--port N] [--bucket B ...] [--s3-bucket NAME:PROVIDER[:REGION] ...] [--manifest FILE]`:
 * the local storage emulator alone (GCS buckets, and S3-flavoured ones for AWS S3, B2 and R2).
 * HMAC keys come from EMULATOR_HMAC_KEYS (or the dev-only --hmac-key); the defaults, one bucket
 * and the local dev key, come from fastly.toml `[local_server]`.
 */
import { fileURLToPath } from 'node:url';
import { UsageError, cliPrefix, parseFlags, parsePort, reportCrash, untilStopSignal } from '../../src/node/cli-kit';
import type { HmacKey } from './keys';
import { S3_PROVIDERS, isS3Provider } from './providers';
import type { S3BucketSpec } from './providers';
import { ManifestError, loadManifestDefaults } from './manifest';
import type { LogEntry } from './request-log';
import { PortInUseError, startEmulator } from './server';

const PREFIX = cliPrefix('emulator');
const USAGE = `usage: npm run emulator -- [--port N] [--host H] [--bucket B ...] [--s3-bucket NAME:PROVIDER[:REGION] ...] [--manifest FILE] [--quiet] [--json]
  --port N         listen port (default 4443; 0 = any free port)
  --host H         listen address (default 127.0.0.1)
  --bucket B       GCS bucket to create, repeatable (default: the bucket in the manifest)
  --s3-bucket NAME:PROVIDER[:REGION]
                   S3-flavoured bucket to create, repeatable; PROVIDER is s3, b2 or r2
                   (e.g. files-archive:s3:us-west-2, files-b2:b2:us-east-005, files-r2:r2)
  --manifest FILE  fastly.toml whose [local_server] gives the default bucket and HMAC key
  --quiet          do not print one line per request on stderr
  --json           print the start-up line as JSON
HMAC keys: EMULATOR_HMAC_KEYS="ID:SECRET[,ID:SECRET...]" (default: the manifest's local dev key).
  --hmac-key ID:SECRET also works but is for throwaway dev keys only: argv is visible to other users.`;

const DEFAULT_PORT = 4443;
const DEFAULT_MANIFEST = fileURLToPath(new URL('../../fastly.toml', import.meta.url));

/** `ID:SECRET`; the error never repeats the text, which holds a secret. */
function parseKey(text: string, source: string): HmacKey {
  const colon = text.indexOf(':');
  const accessId = colon === -1 ? '' : text.slice(0, colon).trim();
  const secret = colon === -1 ? '' : text.slice(colon + 1).trim();
  if (!accessId || !secret) throw new UsageError(`${source}: each key must be ACCESS_ID:SECRET`);
  return { accessId, secret };
}

function parseS3Bucket(text: string): S3BucketSpec {
  const [name = '', provider = '', region, ...rest] = text.split(':');
  if (!name || !isS3Provider(provider) || rest.length > 0 || region === '') {
    throw new UsageError(`--s3-bucket ${text}: expected NAME:PROVIDER[:REGION] with PROVIDER one of ${S3_PROVIDERS.join(', ')}`);
  }
  return { name, provider, ...(region !== undefined ? { region } : {}) };
}

function describe(entry: LogEntry): string {
  const target = entry.object !== undefined ? `${entry.bucket}/${entry.object}` : entry.path;
  return `${entry.method} ${target} host=${entry.host} auth=${entry.auth} -> ${entry.status || 'no answer'} ${entry.verdict}\n`;
}

async function main(argv: string[]): Promise<number> {
  const values = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    bucket: { type: 'string', multiple: true },
    's3-bucket': { type: 'string', multiple: true },
    'hmac-key': { type: 'string', multiple: true },
    manifest: { type: 'string' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port, '--port');
  const host = values.host ?? '127.0.0.1';
  const envKeys = (process.env.EMULATOR_HMAC_KEYS ?? '').split(',').filter((k) => k.trim() !== '');
  const hmacKeys = [
    ...envKeys.map((k) => parseKey(k, 'EMULATOR_HMAC_KEYS')),
    ...(values['hmac-key'] ?? []).map((k) => parseKey(k, '--hmac-key')),
  ];
  if (values['hmac-key']?.length) process.stderr.write(`${PREFIX} --hmac-key puts a secret in argv; prefer EMULATOR_HMAC_KEYS\n`);
  const buckets = [...(values.bucket ?? [])];
  const s3Buckets = (values['s3-bucket'] ?? []).map(parseS3Bucket);
  if (values.manifest !== undefined || (buckets.length === 0 && s3Buckets.length === 0) || hmacKeys.length === 0) {
    const defaults = await loadManifestDefaults(values.manifest ?? DEFAULT_MANIFEST);
    if (buckets.length === 0 && s3Buckets.length === 0 && defaults.bucket) buckets.push(defaults.bucket);
    if (hmacKeys.length === 0 && defaults.hmacKey) hmacKeys.push(defaults.hmacKey);
  }

  const emulator = await startEmulator({
    port,
    host,
    buckets,
    s3Buckets,
    hmacKeys,
    ...(values.quiet ? {} : { onRequest: (entry: LogEntry) => process.stderr.write(describe(entry)) }),
  });
  const accessIds = hmacKeys.map((k) => k.accessId);
  const s3Names = s3Buckets.map((b) => `${b.name} (${b.provider}${b.region ? ` ${b.region}` : ''})`);
  if (values.json) process.stdout.write(`${JSON.stringify({ url: emulator.url, port: emulator.port, buckets, s3Buckets, accessIds })}\n`);
  else process.stdout.write(`GCS emulator listening on ${emulator.url}\n  buckets: ${buckets.join(', ') || '(none)'}\n${s3Names.length ? `  S3-flavoured buckets: ${s3Names.join(', ')}\n` : ''}  HMAC access ids: ${accessIds.join(', ') || '(none)'}\n  control API: ${emulator.url}/_emulator/\n`);

  const signal = await untilStopSignal();
  process.stderr.write(`${PREFIX} ${signal}, closing\n`);
  await emulator.close();
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    process.exitCode = 1;
  } else if (error instanceof PortInUseError || error instanceof ManifestError) {
    process.stderr.write(`${PREFIX} ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.exitCode = reportCrash(PREFIX, error);
  }
}
