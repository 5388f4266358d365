/** Flags and environment of `npm run upload`, validated into one UploadConfig or a UsageError. */
import { parseFlags } from '../../src/node/cli-kit';
import { UsageError } from './errors';
import { bucketNameProblem, objectNameProblem } from './object-name';

export const USAGE =
  'usage: npm run upload -- --bucket B --object O [--interval S] [--dry-run] [--json] [--endpoint URL] [--writer NAME] [--force]\n' +
  '       npm run upload -- (--origins FILE | --manifest FILE) [same options]: every origin, GCS and S3-compatible\n' +
  '  env: CANARY_BUCKET, CANARY_OBJECT (when the flags are absent), STORAGE_EMULATOR_HOST (emulator, no auth),\n' +
  '       EDGE_CANARY_<CREDENTIAL>_ACCESS_KEY_ID / _SECRET_ACCESS_KEY (S3-compatible origins; else the AWS SDK default chain)';

/** One day: beyond that a scheduler (cron, systemd timer) is the better tool. */
export const MAX_INTERVAL_SECONDS = 86_400;
const MAX_WRITER_LENGTH = 256;

/** Where the list of origins comes from: a JSON file, or the manifest's local canary_config `origins`. */
export type OriginsSource = { kind: 'file'; path: string } | { kind: 'manifest'; path: string };

export interface UploadConfig {
  help: boolean;
  /** Set: write every origin listed there (bucket and object are then empty). */
  originsSource: OriginsSource | null;
  bucket: string;
  object: string;
  /** null: write once and exit. */
  intervalSeconds: number | null;
  dryRun: boolean;
  json: boolean;
  /** Custom endpoint (emulator); undefined: Google Cloud Storage with Application Default Credentials. */
  endpoint: string | undefined;
  writer: string;
  /** Replace an existing object that is not a canary. */
  force: boolean;
}

export function parseUploadArgs(argv: readonly string[], env: NodeJS.ProcessEnv, hostname: string): UploadConfig {
  const values = parseFlags(argv, {
    bucket: { type: 'string' },
    object: { type: 'string' },
    interval: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    endpoint: { type: 'string' },
    writer: { type: 'string' },
    force: { type: 'boolean', default: false },
    origins: { type: 'string' },
    manifest: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const base = { dryRun: values['dry-run'], json: values.json, force: values.force };
  if (values.help) return { ...base, help: true, originsSource: null, bucket: '', object: '', intervalSeconds: null, endpoint: undefined, writer: '' };
  const originsSource = parseOriginsSource(values.origins, values.manifest);
  const rest = {
    intervalSeconds: values.interval === undefined ? null : parseInterval(values.interval),
    endpoint: values.endpoint === undefined ? undefined : parseEndpoint(values.endpoint),
    writer: values.writer === undefined ? `uploader@${hostname}` : parseWriter(values.writer),
  };
  if (originsSource !== null) {
    if (values.bucket !== undefined || values.object !== undefined) {
      throw new UsageError(`--${originsSource.kind === 'file' ? 'origins' : 'manifest'} and --bucket/--object both name the canary: use one`);
    }
    return { ...base, ...rest, help: false, originsSource, bucket: '', object: '' };
  }
  const bucket = values.bucket ?? nonEmpty(env.CANARY_BUCKET);
  const object = values.object ?? nonEmpty(env.CANARY_OBJECT);
  if (bucket === undefined) throw new UsageError('no bucket: pass --bucket B or set CANARY_BUCKET');
  if (object === undefined) throw new UsageError('no object: pass --object O or set CANARY_OBJECT');
  const problem = bucketNameProblem(bucket) ?? objectNameProblem(object);
  if (problem !== null) throw new UsageError(problem);
  return { ...base, ...rest, help: false, originsSource: null, bucket, object };
}

function parseOriginsSource(origins: string | undefined, manifest: string | undefined): OriginsSource | null {
  if (origins !== undefined && manifest !== undefined) throw new UsageError('--origins and --manifest both give the origins: use one');
  if (origins !== undefined) return { kind: 'file', path: origins };
  if (manifest !== undefined) return { kind: 'manifest', path: manifest };
  return null;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Seconds between writes, shared by `npm run upload --interval` and `npm start --interval`. */
export function parseInterval(text: string): number {
  const seconds = /^\d*\.?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_INTERVAL_SECONDS) {
    throw new UsageError(`--interval must be a number of seconds > 0 and <= ${MAX_INTERVAL_SECONDS}, got ${JSON.stringify(text)}`);
  }
  return seconds;
}

function parseEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:4443, got ${JSON.stringify(text)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new UsageError(`--endpoint must be a plain http(s) URL such as http://127.0.0.1:4443, got ${JSON.stringify(text)}`);
  }
  return url.href.replace(/\/+$/, '');
}

function parseWriter(text: string): string {
  // Control characters would break the one-line logs that show the writer.
  if (text.trim() === '' || text.length > MAX_WRITER_LENGTH || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new UsageError(`--writer must be 1-${MAX_WRITER_LENGTH} printable characters`);
  }
  return text;
}
