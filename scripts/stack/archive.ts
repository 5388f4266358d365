/**
 * The two-bucket stack of `npm start`: the manifest's one GCS bucket becomes the primary, and an
 * AWS-S3-style archive bucket on the same emulator becomes its fallback, each with its own backend
 * and its own credential, as production file CDNs read them (PyPI: a primary and an S3 archive it
 * restarts onto). The canary gets the `origins` form (docs/origins.md); the flat keys it replaces
 * are removed, as the docs tell an operator to do.
 */
import { FLAT_ORIGIN_KEYS } from '../../src/core/config';
import { CONFIG_STORE } from '../../src/core/types';
import type { LocalManifest } from '../../src/node/manifest';
import { StackConfigError } from './errors';
import { withSecrets } from './manifest';

/** The archive's development key, known only to the local emulator; it opens nothing real. */
export const ARCHIVE_DEV_KEY = { accessId: 'AKIALOCALDEVARCHIVE01', secret: 'local-dev-archive-secret-edge-canary-0001' };
export const ARCHIVE_BUCKET = 'edge-canary-archive';
export const ARCHIVE_REGION = 'us-west-2';
export const ARCHIVE_BACKEND = 'archive';
const ARCHIVE_CREDENTIAL = 'archive';
/** The flat form's secrets: a credential named `hmac` reads hmac_access_id / hmac_secret. */
const PRIMARY_CREDENTIAL = 'hmac';

/**
 * The manifest with an S3 archive fallback added; a manifest that already lists `origins` is
 * served as it is (its own buckets), one without a config store is refused by stackSettings later.
 */
export function withArchiveFallback(manifest: LocalManifest): LocalManifest {
  const config = manifest.configStores.get(CONFIG_STORE);
  if (config === undefined || config.has('origins')) return manifest;
  const bucket = config.get('bucket');
  const object = config.get('object');
  if (bucket === undefined || object === undefined) return manifest;
  if (bucket === ARCHIVE_BUCKET) throw new StackConfigError(`${manifest.file}: bucket ${ARCHIVE_BUCKET} is the local archive's name; choose another for the primary`);
  const signing = config.get('signing') ?? 'goog4';
  const primary: Record<string, string> = { role: 'primary', backend: 'gcs', bucket, object, signing };
  for (const [key, field] of [['origin_host', 'host'], ['url_style', 'url_style'], ['region', 'region']] as const) {
    const value = config.get(key);
    if (value !== undefined) primary[field] = value;
  }
  if (signing !== 'none') primary.credential = PRIMARY_CREDENTIAL;
  const fallback = {
    role: 'fallback', backend: ARCHIVE_BACKEND, bucket: ARCHIVE_BUCKET, object, signing: 'aws4',
    host: `s3.${ARCHIVE_REGION}.amazonaws.com`, url_style: 'virtual', region: ARCHIVE_REGION, provider: 's3', credential: ARCHIVE_CREDENTIAL,
  };

  const contents = new Map([...config].filter(([key]) => !(FLAT_ORIGIN_KEYS as readonly string[]).includes(key)));
  contents.set('origins', JSON.stringify([primary, fallback]));
  const configStores = new Map(manifest.configStores);
  configStores.set(CONFIG_STORE, contents);

  // Its url is replaced by the emulator's once that is listening (pointedAt).
  const backends = new Map(manifest.backends);
  backends.set(ARCHIVE_BACKEND, { name: ARCHIVE_BACKEND, url: new URL('http://127.0.0.1:4443'), overrideHost: null, certHost: null, useSni: true });
  const withArchiveKey = withSecrets(manifest, {
    [`${ARCHIVE_CREDENTIAL}_access_id`]: ARCHIVE_DEV_KEY.accessId,
    [`${ARCHIVE_CREDENTIAL}_secret`]: ARCHIVE_DEV_KEY.secret,
  });
  return { ...withArchiveKey, configStores, backends };
}
