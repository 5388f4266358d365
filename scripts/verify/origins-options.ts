/**
 * `npm run verify -- --manifest FILE` when FILE's canary_config has an `origins` value: every entry
 * (or the one `--origin` names), decoded by the service's own decoder, each with its own credential
 * and the backend it is read through.
 */
import { parseConfig } from '../../src/core/config';
import { hideCredentials } from '../../src/core/secrets';
import type { OriginConfig } from '../../src/core/origins';
import { SECRET_STORE, type Target } from '../../src/core/types';
import { UsageError } from '../../src/node/cli-kit';
import { readManifestSecret, type BackendSpec, type LocalManifest } from '../../src/node/manifest';
import { parseStdinCredential } from './stdin-secret';

export interface OriginsVerifyOptions {
  kind: 'verify-origins';
  /** canary_config as the edge reads it, `origins` included. */
  config: Record<string, string>;
  /** The targets to verify, primary first. */
  selected: Target[];
  /** Every selected origin's backend: the manifest's, `--origin-url`, or https://<the signed host>. */
  backends: Map<string, BackendSpec>;
  /** canary_secrets entries for the selected origins' credentials. */
  secrets: Map<string, string>;
  compareHealth: string | null;
  json: boolean;
  warnings: string[];
}

/** The configuration itself is wrong: printed line by line, exit 1 (the usage text would not help). */
export class ConfigurationError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(errors.join('; '));
    this.name = 'ConfigurationError';
    this.errors = errors;
  }
}

export interface OriginsInput {
  config: Record<string, string>;
  manifest: LocalManifest;
  /** `--origin`: `primary`, `fallback`, `fallback-2`... or the whole target `origin:fallback`. */
  origin: string | null;
  originUrl: string | null;
  secretStdin: boolean;
  compareHealth: string | null;
  json: boolean;
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
}

export async function readOriginsOptions(input: OriginsInput): Promise<OriginsVerifyOptions> {
  const decoded = parseConfig({ get: (key) => input.config[key] ?? null, keys: () => Object.keys(input.config) });
  // As the canary does: a secret pasted into a config value is not echoed by the message quoting it.
  if (!decoded.ok) throw new ConfigurationError(decoded.errors.map((error) => hideCredentials(error, knownSecrets(input))));
  const origins = selectOrigins(decoded.config.origins, input.origin);
  if (input.originUrl !== null && origins.length > 1) {
    throw new UsageError(`--origin-url is where one origin is read, and ${origins.length} are selected: add --origin ${origins.map(roleName).join(' or --origin ')}`);
  }
  if (input.compareHealth !== null && origins.every((origin) => origin.secretNames === null)) {
    throw new UsageError('--compare-health compares credentials, and no selected origin signs (signing none)');
  }
  const { secrets, warnings } = await readSecrets(origins, input);
  return {
    kind: 'verify-origins',
    config: input.config,
    selected: origins.map((origin) => origin.target),
    backends: new Map(origins.map((origin) => [origin.backend, backendOf(origin, input)])),
    secrets,
    compareHealth: input.compareHealth,
    json: input.json,
    warnings,
  };
}

/** `origin:fallback-2` → `fallback-2`: what `--origin` takes. */
export function roleName(origin: Pick<OriginConfig, 'target'>): string {
  return origin.target.replace(/^origin:/, '');
}

function selectOrigins(origins: OriginConfig[], wanted: string | null): OriginConfig[] {
  if (wanted === null) return origins;
  const chosen = origins.filter((origin) => origin.target === wanted || roleName(origin) === wanted);
  if (chosen.length === 0) {
    throw new UsageError(`--origin ${JSON.stringify(wanted)}: the manifest's origins are ${origins.map(roleName).join(', ')}`);
  }
  return chosen;
}

/** The `credential` an entry names (`archive` for archive_access_id / archive_secret); null with signing none. */
export function credentialNameOf(origin: Pick<OriginConfig, 'secretNames'>): string | null {
  return origin.secretNames ? origin.secretNames.accessId.replace(/_access_id$/, '') : null;
}

/** CANARY_<NAME>_ACCESS_ID / CANARY_<NAME>_SECRET; for the name `hmac`, the flat form's variables. */
export function credentialVariables(name: string): { accessId: string; secret: string } {
  const stem = `CANARY_${name.toUpperCase().replace(/-/g, '_')}`;
  return { accessId: `${stem}_ACCESS_ID`, secret: `${stem}_SECRET` };
}

interface NamedCredential {
  name: string;
  secretNames: NonNullable<OriginConfig['secretNames']>;
  usedBy: Target[];
}

function credentialsOf(origins: OriginConfig[]): NamedCredential[] {
  const byName = new Map<string, NamedCredential>();
  for (const origin of origins) {
    const name = credentialNameOf(origin);
    if (!origin.secretNames || name === null) continue;
    const entry = byName.get(name) ?? { name, secretNames: origin.secretNames, usedBy: [] };
    entry.usedBy.push(origin.target);
    byName.set(name, entry);
  }
  const named = [...byName.values()];
  for (const [index, one] of named.entries()) {
    const clash = named.slice(index + 1).find((other) => credentialVariables(other.name).secret === credentialVariables(one.name).secret);
    if (clash) throw new UsageError(`credentials ${JSON.stringify(one.name)} and ${JSON.stringify(clash.name)} would both be read from ${credentialVariables(one.name).secret}: rename one of them in origins, or verify them one at a time with --origin`);
  }
  return named;
}

/**
 * Per credential, each half from (first found) stdin, the environment, the manifest's canary_secrets,
 * as for the flat form. Stdin carries one credential, so it needs the selection to use exactly one.
 */
async function readSecrets(origins: OriginConfig[], input: OriginsInput): Promise<{ secrets: Map<string, string>; warnings: string[] }> {
  const credentials = credentialsOf(origins);
  const secrets = new Map<string, string>();
  let warnings: string[] = [];
  let fromStdin: { accessId: string; secret: string } | null = null;
  if (input.secretStdin) {
    if (credentials.length !== 1) {
      const which = credentials.length === 0 ? 'none of the selected origins signs' : `the selected origins use ${credentials.length} (${credentials.map((c) => c.name).join(', ')})`;
      throw new UsageError(`--secret-stdin carries one credential, and ${which}: pick one origin with --origin, or set each credential's CANARY_<NAME>_ACCESS_ID and CANARY_<NAME>_SECRET`);
    }
    const parsed = parseStdinCredential(await input.stdin(), input.env[credentialVariables(credentials[0]!.name).accessId] || null);
    fromStdin = { accessId: parsed.accessId, secret: parsed.secret };
    warnings = parsed.warnings;
  }
  for (const credential of credentials) {
    const variables = credentialVariables(credential.name);
    const accessId = fromStdin?.accessId ?? (input.env[variables.accessId] || null) ?? manifestSecret(input, credential.secretNames.accessId);
    const secret = fromStdin?.secret ?? (input.env[variables.secret] || null) ?? manifestSecret(input, credential.secretNames.secret);
    if (accessId === null || secret === null) {
      const missing = accessId === null ? credential.secretNames.accessId : credential.secretNames.secret;
      throw new UsageError(
        `missing ${missing} for ${credential.usedBy.join(' and ')} (credential ${JSON.stringify(credential.name)}): set ${variables.accessId} and ${variables.secret}, ` +
          `add ${missing} to the manifest's ${SECRET_STORE}, or pipe it with --secret-stdin --origin ${roleName({ target: credential.usedBy[0]! })}`,
      );
    }
    secrets.set(credential.secretNames.accessId, accessId);
    secrets.set(credential.secretNames.secret, secret);
  }
  return { secrets, warnings };
}

/** Every secret value the verifier could be holding: the manifest's and the environment's CANARY_* ones. */
function knownSecrets(input: OriginsInput): string[] {
  const fromManifest = [...(input.manifest.secretStores.get(SECRET_STORE)?.keys() ?? [])].map((name) => manifestSecret(input, name));
  const fromEnv = Object.entries(input.env).filter(([name]) => name.startsWith('CANARY_')).map(([, value]) => value ?? null);
  return [...fromManifest, ...fromEnv].filter((value): value is string => value !== null && value !== '');
}

function manifestSecret(input: OriginsInput, name: string): string | null {
  return readManifestSecret(input.manifest.secretStores, SECRET_STORE, name, input.env);
}

/** Where to connect; the Host header stays the signed host, as on Fastly. */
function backendOf(origin: OriginConfig, input: OriginsInput): BackendSpec {
  const declared = input.manifest.backends.get(origin.backend);
  if (input.originUrl === null && declared) return declared;
  const host = origin.urlStyle === 'virtual' ? `${origin.bucket}.${origin.originHost}` : origin.originHost;
  const url = input.originUrl ?? `https://${host}`;
  return { name: origin.backend, url: new URL(url), overrideHost: null, certHost: null, useSni: true };
}
