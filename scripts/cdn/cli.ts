/**
 * `npm run cdn -- --origin URL --bucket B`: the local production CDN on its own, in
 * front of a running emulator (`npm run emulator`). Credentials come from the environment:
 * CDN_HMAC_ACCESS_ID / CDN_HMAC_SECRET, and CDN_FALLBACK_HMAC_ACCESS_ID / CDN_FALLBACK_HMAC_SECRET
 * with --fallback-bucket. One line per request on stdout (JSON with --json). Exit 0 after Ctrl-C or
 * SIGTERM, 1 for a usage or configuration error.
 */
import { UsageError, cliPrefix, parseFlags, parsePort, reportCrash, untilStopSignal } from '../../src/node/cli-kit';
import { SIGNING_SCHEMES, URL_STYLES } from '../../src/core/origin-fields';
import type { SigningScheme, UrlStyle } from '../../src/core/sign';
import { CdnConfigError, DEFAULT_TTL_SECONDS, startCdn, type CdnLogEntry, type CdnOptions, type OriginSpec } from './index';

const PREFIX = cliPrefix('cdn');
const USAGE = 'usage: npm run cdn -- --origin URL --bucket B [--port N] [--ttl S] [--cache-policy origin|service-ttl]\n'
  + '       [--signing goog4|aws4|v2|none] [--bucket-host H] [--region R] [--url-style path|virtual]\n'
  + '       [--canary-path OBJECT] [--no-canary-rule] [--canary-restarts] [--json]\n'
  + '       [--fallback-origin URL --fallback-bucket B [--fallback-signing S] [--fallback-bucket-host H] [--fallback-region R] [--fallback-url-style U]]\n'
  + '       env: CDN_HMAC_ACCESS_ID, CDN_HMAC_SECRET [, CDN_FALLBACK_HMAC_ACCESS_ID, CDN_FALLBACK_HMAC_SECRET]';

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): { options: CdnOptions; json: boolean } | 'help' {
  const values = parseFlags(argv, {
    origin: { type: 'string', default: 'http://127.0.0.1:4443' },
    bucket: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    ttl: { type: 'string', default: String(DEFAULT_TTL_SECONDS) },
    'cache-policy': { type: 'string', default: 'service-ttl' },
    'canary-path': { type: 'string' },
    'no-canary-rule': { type: 'boolean', default: false },
    'canary-restarts': { type: 'boolean', default: false },
    ...signingFlags(''),
    'fallback-origin': { type: 'string' },
    'fallback-bucket': { type: 'string' },
    ...signingFlags('fallback-'),
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (!values.bucket) throw new UsageError('--bucket is required');
  const policy = values['cache-policy'];
  if (policy !== 'origin' && policy !== 'service-ttl') throw new UsageError(`--cache-policy must be origin or service-ttl, got "${policy}"`);
  const options: CdnOptions = {
    origin: { ...originFrom(values.origin, values.bucket, env, 'CDN_HMAC'), ...signingOf(values, '') },
    port: parsePort(values.port, '--port'),
    hostname: values.host,
    ttlSeconds: wholeNumber('--ttl', values.ttl),
    cachePolicy: policy,
    canaryRule: !values['no-canary-rule'],
    canaryRestarts: values['canary-restarts'],
    ...(values['canary-path'] ? { canaryPath: values['canary-path'] } : {}),
  };
  if (values['fallback-bucket']) {
    options.fallback = { ...originFrom(values['fallback-origin'] ?? values.origin, values['fallback-bucket'], env, 'CDN_FALLBACK_HMAC'), ...signingOf(values, 'fallback-') };
  } else if (values['fallback-origin']) {
    throw new UsageError('--fallback-origin needs --fallback-bucket');
  }
  return { options, json: values.json };
}

function originFrom(url: string, bucket: string, env: NodeJS.ProcessEnv, prefix: string): OriginSpec {
  const accessId = env[`${prefix}_ACCESS_ID`];
  const secret = env[`${prefix}_SECRET`];
  if (!accessId || !secret) throw new UsageError(`set ${prefix}_ACCESS_ID and ${prefix}_SECRET in the environment (never on the command line)`);
  return { url, bucket, accessId, secret };
}

type SigningFlag = 'signing' | 'bucket-host' | 'region' | 'url-style';
const SIGNING_FLAGS: readonly SigningFlag[] = ['signing', 'bucket-host', 'region', 'url-style'];

function signingFlags<P extends string>(prefix: P): Record<`${P}${SigningFlag}`, { type: 'string' }> {
  return Object.fromEntries(SIGNING_FLAGS.map((flag) => [`${prefix}${flag}`, { type: 'string' }])) as Record<`${P}${SigningFlag}`, { type: 'string' }>;
}

/** How one bucket is signed, as production signs it: the scheme, the public host, its region and URL style. */
function signingOf(values: Readonly<Record<string, unknown>>, prefix: string): Pick<OriginSpec, 'signing' | 'host' | 'region' | 'urlStyle'> {
  const flag = (name: SigningFlag): string | undefined => {
    const value = values[`${prefix}${name}`];
    return typeof value === 'string' ? value : undefined;
  };
  const spec: Pick<OriginSpec, 'signing' | 'host' | 'region' | 'urlStyle'> = {};
  const signing = flag('signing');
  if (signing !== undefined) {
    if (!(SIGNING_SCHEMES as readonly string[]).includes(signing)) throw new UsageError(`--${prefix}signing must be one of ${SIGNING_SCHEMES.join(', ')}, got "${signing}"`);
    spec.signing = signing as SigningScheme;
  }
  const urlStyle = flag('url-style');
  if (urlStyle !== undefined) {
    if (!(URL_STYLES as readonly string[]).includes(urlStyle)) throw new UsageError(`--${prefix}url-style must be one of ${URL_STYLES.join(', ')}, got "${urlStyle}"`);
    spec.urlStyle = urlStyle as UrlStyle;
  }
  const host = flag('bucket-host');
  if (host !== undefined) spec.host = host;
  const region = flag('region');
  if (region !== undefined) spec.region = region;
  return spec;
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function formatEntry(entry: CdnLogEntry, json: boolean): string {
  if (json) return JSON.stringify({ time: new Date().toISOString(), ...entry });
  const via = entry.servedBy === 'fallback' ? ' via fallback (Fastly-Restarts: 1)' : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.cache}${entry.cache === 'HIT' ? ` age=${entry.ageSeconds}s` : ''}${via}`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseOptions(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { options, json } = parsed;
  let cdn;
  try {
    cdn = await startCdn({ ...options, onRequest: (entry) => process.stdout.write(`${formatEntry(entry, json)}\n`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CdnConfigError || code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`${PREFIX} ${code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  const rule = cdn.options.canaryRule ? `canary rule on for ${cdn.options.canaryPath}` : 'canary rule OFF';
  const bucket = (o: OriginSpec) => `bucket ${o.bucket} (${o.signing ?? 'goog4'}, ${o.host ?? 'storage.googleapis.com'}) at ${o.url}`;
  const fallback = cdn.options.fallback ? `, restarting onto ${bucket(cdn.options.fallback)}${cdn.options.canaryRestarts ? ' (the canary path too)' : ''}` : '';
  process.stderr.write(`local CDN listening on ${cdn.url} -> ${bucket(cdn.options.origin)}${fallback} (${cdn.options.cachePolicy}, ttl ${cdn.options.ttlSeconds}s, ${rule})\n`);
  const signal = await untilStopSignal();
  await cdn.close();
  process.stderr.write(`local CDN stopped (${signal})\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error));
