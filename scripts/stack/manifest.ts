/**
 * The canary's manifest for a stack: fastly.toml's `[local_server]` with the `gcs` backend pointed
 * at the emulator actually started (its port may be ephemeral) and the config store overridden.
 */
import { parseConfig } from '../../src/core/config';
import type { CanaryConfig } from '../../src/core/config';
import { BACKEND_GCS, CONFIG_STORE, SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../../src/core/types';
import { readManifestSecret, type BackendSpec, type LocalManifest } from '../../src/node/manifest';
import { StackConfigError } from './errors';

export type ConfigOverrides = Readonly<Record<string, string>>;

/** What the emulator must hold for the canary of this manifest to pass. */
export interface StackSettings {
  config: CanaryConfig;
  /** The HMAC key the canary signs with; null for `signing = none`. */
  hmacKey: { accessId: string; secret: string } | null;
}

export function withOverrides(manifest: LocalManifest, overrides: ConfigOverrides): LocalManifest {
  const base = manifest.configStores.get(CONFIG_STORE) ?? new Map<string, string>();
  const configStores = new Map(manifest.configStores);
  configStores.set(CONFIG_STORE, new Map([...base, ...Object.entries(overrides)]));
  return { ...manifest, configStores };
}

export function pointedAt(manifest: LocalManifest, emulatorUrl: string): LocalManifest {
  const current = manifest.backends.get(BACKEND_GCS);
  const backend: BackendSpec = {
    name: BACKEND_GCS,
    url: new URL(emulatorUrl),
    overrideHost: current?.overrideHost ?? null,
    certHost: current?.certHost ?? null,
    useSni: current?.useSni ?? true,
  };
  const backends = new Map(manifest.backends);
  backends.set(BACKEND_GCS, backend);
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
  const hmacKey = parsed.config.signing === 'none' ? null : { accessId: read(SECRET_ACCESS_ID), secret: read(SECRET_SECRET) };
  return { config: parsed.config, hmacKey };
}
