/** Flags, environment and stdin of `npm run verify`, turned into the settings of one signed GET. */
import { UsageError, parseFlags } from '../../src/node/cli-kit';
import { loadManifest, readManifestSecret, type LocalManifest } from '../../src/node/manifest';
import { CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../../src/core/types';
import { readOriginsOptions, type OriginsVerifyOptions } from './origins-options';
import { asOneOrigin } from './provider';
import { parseStdinCredential } from './stdin-secret';

export const USAGE = `usage: npm run verify -- --bucket B --object O [--signing goog4|aws4|v2|none] [--host H]
         [--url-style path|virtual] [--region R] [--provider gcs|s3|b2|r2|other] [--origin-url URL] [--manifest FILE]
         [--compare-health URL] [--secret-stdin] [--json] [--help]
       npm run verify -- --manifest FILE [--origin primary|fallback|fallback-N] [--origin-url URL] ...
         (FILE's canary_config has origins: every origin, or the one --origin names, with its own credential)
credentials: CANARY_HMAC_ACCESS_ID and CANARY_HMAC_SECRET, or --secret-stdin
             (stdin: "<access id>\\n<secret>", or just the secret with CANARY_HMAC_ACCESS_ID set;
             the secret is used byte for byte, as the Secret Store keeps it: no trailing newline);
             an origins credential named N: CANARY_<N>_ACCESS_ID and CANARY_<N>_SECRET, or FILE's canary_secrets`;

export { UsageError } from '../../src/node/cli-kit';

export type VerifyCommand = { kind: 'help' } | VerifyOptions | OriginsVerifyOptions;

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
    origin: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
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
  delete config.edge_backend_header;
  delete config.edge_expected_backend;
  const compareHealth = readCompareHealth(values['compare-health']);
  if (manifest && config.origins !== undefined) {
    const flag = ORIGIN_FLAGS.find((name) => values[name] !== undefined);
    if (flag) throw new UsageError(`--${flag}: ${manifest.file} lists origins, and each entry says its own; verify one of them with --origin, or that bucket alone without --manifest`);
    return readOriginsOptions({
      config, manifest, origin: stringFlag(values.origin), originUrl: readOriginUrl(values['origin-url']), secretStdin: values['secret-stdin'] === true,
      compareHealth, json: values.json === true, env, stdin,
    });
  }
  if (values.origin !== undefined) throw new UsageError('--origin names an entry of the origins value in --manifest FILE, and there is none: without origins there is one bucket to verify');
  if (!config.bucket) throw new UsageError('--bucket is required (or --manifest with a bucket or an origins value in its config store)');
  if (!config.object) throw new UsageError('--object is required (or --manifest with an object in its config store)');

  const host = config.origin_host ?? 'storage.googleapis.com';
  const originUrl = readOriginUrl(values['origin-url']) ?? manifest?.backends.get('gcs')?.url.href ?? `https://${host}`;
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

/** The flags that say where the one bucket is; a manifest's origins entries say it themselves. */
const ORIGIN_FLAGS = [...Object.keys(FLAG_TO_KEY), 'provider'] as const;

function stringFlag(value: string | boolean | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function readOriginUrl(value: string | boolean | undefined): string | null {
  const url = stringFlag(value);
  if (url !== null && (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))) {
    throw new UsageError(`--origin-url must be an http or https URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

function readCompareHealth(value: string | boolean | undefined): string | null {
  const url = stringFlag(value);
  if (url !== null && !URL.canParse(url)) throw new UsageError(`--compare-health must be a URL, got ${JSON.stringify(url)}`);
  return url;
}

function manifestConfig(manifest: LocalManifest): Record<string, string> {
  return Object.fromEntries(manifest.configStores.get(CONFIG_STORE) ?? []);
}

function manifestSecret(manifest: LocalManifest, name: string, env: NodeJS.ProcessEnv): string | null {
  return readManifestSecret(manifest.secretStores, SECRET_STORE, name, env);
}
