/**
 * The flags of `npm run cdn`, checked before anything listens: each bucket's fields with the same
 * rules the canary's config uses (src/core/origin-fields.ts), and no flag that would be ignored
 * (a fallback's setting without --fallback-bucket, --canary-restarts without a fallback).
 */
import { UsageError, parseFlags, parsePort } from '../../src/node/cli-kit';
import { SIGNING_SCHEMES, URL_STYLES, checkBucket, checkHost, checkRegion, checkVirtualStyle } from '../../src/core/origin-fields';
import type { SigningScheme, UrlStyle } from '../../src/core/sign';
import { DEFAULT_TTL_SECONDS, type CdnOptions, type OriginSpec } from './index';

export const CDN_USAGE = 'usage: npm run cdn -- --origin URL --bucket B [--port N] [--host ADDRESS] [--ttl S] [--cache-policy origin|service-ttl]\n'
  + '       [--signing goog4|aws4|v2|none] [--bucket-host H] [--region R] [--url-style path|virtual]\n'
  + '       [--canary-path OBJECT] [--no-canary-rule] [--json]\n'
  + '       [--fallback-bucket B [--fallback-origin URL] [--fallback-signing S] [--fallback-bucket-host H] [--fallback-region R]\n'
  + '        [--fallback-url-style U] [--canary-restarts]]\n'
  + '       env: CDN_HMAC_ACCESS_ID, CDN_HMAC_SECRET [, CDN_FALLBACK_HMAC_ACCESS_ID, CDN_FALLBACK_HMAC_SECRET]';

export function parseCdnArgs(argv: string[], env: NodeJS.ProcessEnv): { options: CdnOptions; json: boolean } | 'help' {
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
  } else {
    refuseOrphans(values);
  }
  checkOrigin(options.origin, '');
  if (options.fallback) checkOrigin(options.fallback, 'fallback-');
  return { options, json: values.json };
}

/** A fallback's setting without a fallback would be silently ignored: refuse it. */
function refuseOrphans(values: Readonly<Record<string, unknown>>): void {
  const orphans = ['fallback-origin', ...SIGNING_FLAGS.map((flag) => `fallback-${flag}`)].filter((flag) => values[flag] !== undefined);
  if (orphans.length > 0) throw new UsageError(`${orphans.map((flag) => `--${flag}`).join(', ')} ${orphans.length === 1 ? 'needs' : 'need'} --fallback-bucket: without a fallback bucket there is nothing to apply ${orphans.length === 1 ? 'it' : 'them'} to`);
  if (values['canary-restarts'] === true) throw new UsageError('--canary-restarts needs --fallback-bucket: without a fallback the canary path has nothing to restart onto');
}

/** The same rules, and messages, as the canary's config gives a bucket, host, region and URL style. */
function checkOrigin(origin: OriginSpec, prefix: string): void {
  throwAll(collect((errors) => {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(origin.url) || !URL.canParse(origin.url)) errors.push(`--${prefix}origin: must be an http(s) URL with no path, such as http://127.0.0.1:4443 (got ${JSON.stringify(origin.url)})`);
    checkBucket(`--${prefix}bucket`, origin.bucket, 'bucket', errors);
    if (origin.host !== undefined) checkHost(`--${prefix}bucket-host`, origin.host, errors);
    if (origin.region !== undefined) checkRegion(`--${prefix}region`, origin.region, errors);
    checkVirtualStyle(`--${prefix}url-style`, origin.urlStyle ?? 'path', origin.bucket, errors);
  }));
}

function collect(check: (errors: string[]) => void): string[] {
  const errors: string[] = [];
  check(errors);
  return errors;
}

function throwAll(errors: string[]): void {
  if (errors.length > 0) throw new UsageError(errors.join('; '));
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

