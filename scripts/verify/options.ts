/** Flags, environment and stdin of `npm run verify`, turned into the settings of one signed GET. */
import { UsageError, parseFlags } from '../../src/node/cli-kit';
import { loadManifest, readManifestSecret, type LocalManifest } from '../../src/node/manifest';
import { CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../../src/core/types';
import { asOneOrigin } from './provider';
import { parseStdinCredential } from './stdin-secret';

export const USAGE = `usage: npm run verify -- --bucket B --object O [--signing goog4|aws4|v2|none] [--host H]
         [--url-style path|virtual] [--region R] [--provider gcs|s3|b2|r2|other] [--origin-url URL] [--manifest FILE]
         [--compare-health URL] [--secret-stdin] [--json] [--help]
credentials: CANARY_HMAC_ACCESS_ID and CANARY_HMAC_SECRET, or --secret-stdin
             (stdin: "<access id>\\n<secret>", or just the secret with CANARY_HMAC_ACCESS_ID set;
             the secret is used byte for byte, as the Secret Store keeps it: no trailing newline)`;

export { UsageError } from '../../src/node/cli-kit';

export type VerifyCommand = { kind: 'help' } | VerifyOptions;

export interface VerifyOptions {
  kind: 'verify';
  /** Config Store keys as the edge would read them. */
  config: Record<string, string>;
  /** Where to connect; the Host header stays the signed origin host. */
  originUrl: string;
  accessId: string | null;
  secret: string | null;
  compareHealth: string | null;
  json: boolean;
  /** Things about the credential worth a line on stderr (a secret from stdin ending in a newline). */
  warnings: string[];
}

const FLAG_TO_KEY = { bucket: 'bucket', object: 'object', signing: 'signing', host: 'origin_host', 'url-style': 'url_style', region: 'region' } as const;

export async function readOptions(argv: string[], env: NodeJS.ProcessEnv, stdin: () => Promise<string>): Promise<VerifyCommand> {
  const values: Record<string, string | boolean | undefined> = parseFlags(argv, {
    bucket: { type: 'string' }, object: { type: 'string' }, signing: { type: 'string' }, host: { type: 'string' },
    'url-style': { type: 'string' }, region: { type: 'string' }, provider: { type: 'string' }, 'origin-url': { type: 'string' },
    manifest: { type: 'string' }, 'compare-health': { type: 'string' }, 'secret-stdin': { type: 'boolean' },
    json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) return { kind: 'help' };
  const manifest = typeof values.manifest === 'string' ? loadManifest(values.manifest) : null;
  const config: Record<string, string> = { ...(manifest ? manifestConfig(manifest) : {}), result_ttl_ms: '0' };
  for (const [flag, key] of Object.entries(FLAG_TO_KEY)) {
    const value = values[flag];
    if (typeof value === 'string') config[key] = value;
  }
  // The verifier checks the origin path only; the edge check belongs to the deployed canary.
  delete config.edge_url;
  // One bucket at a time: a manifest's origins list is not read, its origin's flags are.
  const listedOrigins = config.origins !== undefined;
  delete config.origins;
  const oneAtATime = listedOrigins ? ': the manifest lists origins; verify one at a time with its --bucket, --object, --signing, --host, --url-style, --region and --provider' : '';
  if (!config.bucket) throw new UsageError(`--bucket is required (or --manifest with a bucket in its config store)${oneAtATime}`);
  if (!config.object) throw new UsageError(`--object is required (or --manifest with an object in its config store)${oneAtATime}`);

  const host = config.origin_host ?? 'storage.googleapis.com';
  const originUrl = typeof values['origin-url'] === 'string' ? values['origin-url'] : (manifest?.backends.get('gcs')?.url.href ?? `https://${host}`);
  if (!URL.canParse(originUrl) || !/^https?:$/.test(new URL(originUrl).protocol)) {
    throw new UsageError(`--origin-url must be an http or https URL, got ${JSON.stringify(originUrl)}`);
  }
  const compareHealth = typeof values['compare-health'] === 'string' ? values['compare-health'] : null;
  if (compareHealth !== null && !URL.canParse(compareHealth)) throw new UsageError(`--compare-health must be a URL, got ${JSON.stringify(compareHealth)}`);
  if (compareHealth !== null && config.signing === 'none') throw new UsageError('--compare-health compares credentials, and signing is none');

  let accessId = env.CANARY_HMAC_ACCESS_ID || null;
  let secret = env.CANARY_HMAC_SECRET || null;
  let warnings: string[] = [];
  if (values['secret-stdin']) ({ accessId, secret, warnings } = parseStdinCredential(await stdin(), accessId));
  if (manifest && (accessId === null || secret === null)) {
    accessId ??= manifestSecret(manifest, SECRET_ACCESS_ID, env);
    secret ??= manifestSecret(manifest, SECRET_SECRET, env);
  }
  if (config.signing !== 'none' && (accessId === null || secret === null)) {
    throw new UsageError(`missing ${accessId === null ? 'access id' : 'secret'}: set CANARY_HMAC_ACCESS_ID and CANARY_HMAC_SECRET, or use --secret-stdin`);
  }
  const checked = typeof values.provider === 'string' ? asOneOrigin(config, values.provider) : config;
  return { kind: 'verify', config: checked, originUrl, accessId, secret, compareHealth, json: values.json === true, warnings };
}

function manifestConfig(manifest: LocalManifest): Record<string, string> {
  return Object.fromEntries(manifest.configStores.get(CONFIG_STORE) ?? []);
}

function manifestSecret(manifest: LocalManifest, name: string, env: NodeJS.ProcessEnv): string | null {
  return readManifestSecret(manifest.secretStores, SECRET_STORE, name, env);
}
