/**
 * The canary's manifest for a stack: fastly.toml's `[local_server]` with every origin's backend
 * pointed at the emulator actually started (its port may be ephemeral) and the config store
 * overridden.
 */
import { parseConfig } from '../../src/core/config';
import type { CanaryConfig } from '../../src/core/config';
import type { OriginConfig } from '../../src/core/origins';
import { CONFIG_STORE, SECRET_STORE } from '../../src/core/types';
import { readManifestSecret, type BackendSpec, type LocalManifest, type SecretSource } from '../../src/node/manifest';
import { StackConfigError } from './errors';

export type ConfigOverrides = Readonly<Record<string, string>>;

export interface HmacKey {
  accessId: string;
  secret: string;
}

/** One bucket of the stack and the key the canary reads it with (null for `signing = none`). */
export interface StackOrigin {
  origin: OriginConfig;
  key: HmacKey | null;
}

/** What the emulator must hold for the canary of this manifest to pass. */
export interface StackSettings {
  config: CanaryConfig;
  /** The primary's key; null for `signing = none`. */
  hmacKey: HmacKey | null;
  /** Every origin, primary first (one `origin` for the flat keys). */
  origins: StackOrigin[];
}

export function withOverrides(manifest: LocalManifest, overrides: ConfigOverrides): LocalManifest {
  const base = manifest.configStores.get(CONFIG_STORE) ?? new Map<string, string>();
  const configStores = new Map(manifest.configStores);
  configStores.set(CONFIG_STORE, new Map([...base, ...Object.entries(overrides)]));
  return { ...manifest, configStores };
}

/** Every backend named by an origin now connects to the emulator; the Host sent stays the signed one. */
export function pointedAt(manifest: LocalManifest, emulatorUrl: string, origins: readonly OriginConfig[]): LocalManifest {
  const backends = new Map(manifest.backends);
  for (const name of new Set(origins.map((origin) => origin.backend))) {
    const current = manifest.backends.get(name);
    const backend: BackendSpec = {
      name,
      url: new URL(emulatorUrl),
      overrideHost: current?.overrideHost ?? null,
      certHost: current?.certHost ?? null,
      useSni: current?.useSni ?? true,
    };
    backends.set(name, backend);
  }
  return { ...manifest, backends };
}

/** Fails before anything starts when the canary could never pass with this manifest. */
export function stackSettings(manifest: LocalManifest, env: Readonly<Record<string, string | undefined>>): StackSettings {
  const store = manifest.configStores.get(CONFIG_STORE);
  if (store === undefined) throw new StackConfigError(`${manifest.file}: [local_server] has no config store ${CONFIG_STORE}`);
  const parsed = parseConfig({ get: (key) => store.get(key) ?? null, keys: () => [...store.keys()] });
  if (!parsed.ok) throw new StackConfigError(`${manifest.file}: config store ${CONFIG_STORE}: ${parsed.errors.join('; ')}`);
  const read = (name: string): string => {
    const value = readManifestSecret(manifest.secretStores, SECRET_STORE, name, env);
    if (value === null || value === '') {
      const source = manifest.secretStores.get(SECRET_STORE)?.get(name);
      const where = source?.kind === 'env' ? `environment variable ${source.variable} is not set` : 'missing';
      throw new StackConfigError(`${manifest.file}: secret ${name} in ${SECRET_STORE}: ${where}`);
    }
    return value;
  };
  const origins = parsed.config.origins.map((origin): StackOrigin => ({
    origin,
    key: origin.secretNames === null ? null : { accessId: read(origin.secretNames.accessId), secret: read(origin.secretNames.secret) },
  }));
  return { config: parsed.config, hmacKey: origins[0]?.key ?? null, origins };
}

/** The manifest with these entries set (as values) in its canary_secrets store; every other store as it was. */
export function withSecrets(manifest: LocalManifest, entries: Readonly<Record<string, string>>): LocalManifest {
  const store = new Map<string, SecretSource>(manifest.secretStores.get(SECRET_STORE) ?? []);
  for (const [name, value] of Object.entries(entries)) store.set(name, { kind: 'value', value });
  const secretStores = new Map(manifest.secretStores);
  secretStores.set(SECRET_STORE, store);
  return { ...manifest, secretStores };
}
