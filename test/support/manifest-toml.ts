/** fastly.toml `[local_server]` text for a canary under test: backends, the `canary_config` store and the `canary_secrets` store. */

/** A secret's value inline (`data`), from an environment variable, or from a file next to the manifest. */
export type SecretToml = string | { env: string } | { file: string };

export interface LocalServerToml {
  /** Backend name to URL. */
  backends?: Record<string, string>;
  /** The `canary_config` store, inline. */
  config?: Record<string, string>;
  /** The `canary_secrets` store, by key. */
  secrets?: Record<string, SecretToml>;
}

export function localServerToml(spec: LocalServerToml): string {
  const lines: string[] = [];
  for (const [name, url] of Object.entries(spec.backends ?? {})) lines.push(`[local_server.backends.${name}]`, `url = ${toml(url)}`);
  if (spec.config !== undefined) {
    lines.push('[local_server.config_stores.canary_config]', 'format = "inline-toml"', '[local_server.config_stores.canary_config.contents]');
    for (const [key, value] of Object.entries(spec.config)) lines.push(`${key} = ${toml(value)}`);
  }
  for (const [key, source] of Object.entries(spec.secrets ?? {})) {
    lines.push('[[local_server.secret_stores.canary_secrets]]', `key = ${toml(key)}`);
    if (typeof source === 'string') lines.push(`data = ${toml(source)}`);
    else if ('env' in source) lines.push(`env = ${toml(source.env)}`);
    else lines.push(`file = ${toml(source.file)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A TOML basic string; JSON's escapes are valid TOML for the ASCII values tests use. */
function toml(value: string): string {
  return JSON.stringify(value);
}
