/**
 * `--provider`: the store's error semantics and checksums (docs/origins.md) exist only in the
 * `origins` form, so the verifier's flat settings become a one-entry `origins` value, read through
 * backend gcs (the --origin-url) with the flat secrets (credential `hmac`).
 */
import { UsageError } from '../../src/node/cli-kit';
import { PROVIDERS } from '../../src/core/origins';

const FLAT_TO_FIELD = { bucket: 'bucket', object: 'object', signing: 'signing', origin_host: 'host', url_style: 'url_style', region: 'region' } as const;

export function asOneOrigin(config: Record<string, string>, provider: string): Record<string, string> {
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`);
  }
  const origin: Record<string, string> = { role: 'primary', backend: 'gcs', provider };
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const field = FLAT_TO_FIELD[key as keyof typeof FLAT_TO_FIELD];
    if (field) origin[field] = value;
    else rest[key] = value;
  }
  if (origin.signing !== 'none') origin.credential = 'hmac';
  return { ...rest, origins: JSON.stringify([origin]) };
}
