/**
 * A fastly.toml `[local_server]` for the canary in the demo, the bench and the end-to-end tests:
 * backend `gcs` → the emulator, backend `edge` → the local CDN. The HMAC secret is not in the
 * text: the manifest names an environment variable, which the Node platform reads when asked.
 */

export const DEMO_SECRET_ENV = 'EDGE_CANARY_DEMO_HMAC_SECRET';

export interface CanaryManifestInput {
  emulatorUrl: string;
  /** The CDN's base URL; with `edgeUrl` it becomes backend `edge`. */
  cdnUrl?: string;
  /** The canary URL on the production hostname (config key `edge_url`). */
  edgeUrl?: string;
  bucket: string;
  object: string;
  accessId: string;
  /** Config store keys beyond bucket/object/edge_url, e.g. result_ttl_ms. */
  config?: Record<string, string>;
}

export function canaryManifestToml(input: CanaryManifestInput): string {
  const config: Record<string, string> = { bucket: input.bucket, object: input.object, ...input.config };
  if (input.edgeUrl) config.edge_url = input.edgeUrl;
  const lines = [
    '[local_server]',
    '[local_server.backends.gcs]',
    `url = ${toml(input.emulatorUrl)}`,
  ];
  if (input.cdnUrl) lines.push('[local_server.backends.edge]', `url = ${toml(input.cdnUrl)}`);
  lines.push('[local_server.config_stores.canary_config]', 'format = "inline-toml"', '[local_server.config_stores.canary_config.contents]');
  for (const [key, value] of Object.entries(config)) lines.push(`${key} = ${toml(value)}`);
  lines.push(
    '[[local_server.secret_stores.canary_secrets]]', 'key = "hmac_access_id"', `data = ${toml(input.accessId)}`,
    '[[local_server.secret_stores.canary_secrets]]', 'key = "hmac_secret"', `env = ${toml(DEMO_SECRET_ENV)}`,
  );
  return `${lines.join('\n')}\n`;
}

/** A TOML basic string; JSON's escapes are valid TOML for the ASCII values used here. */
function toml(value: string): string {
  return JSON.stringify(value);
}
