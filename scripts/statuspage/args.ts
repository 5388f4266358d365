import { parseFlags } from '../../src/node/cli-kit';
import { ApiKey } from './api-key';
import { UsageError } from './errors';

export const API_KEY_ENV = 'STATUSPAGE_API_KEY';
export const DEFAULT_API_BASE = 'https://api.statuspage.io';
/** Long enough for a few checks of a canary that coalesces for 30 s, short enough for a cron minute. */
export const DEFAULT_MAX_WAIT_SECONDS = 50;

export const USAGE = `usage: npm run statuspage -- --health-url URL [--health-url URL2 ...] --page-id P --component-id C
         [--interval S] [--confirm N] [--confirm-delay S] [--max-wait S] [--state FILE] [--timeout S]
         [--dry-run] [--api-base URL] [--json]
       API key from the environment: ${API_KEY_ENV} (required unless --dry-run)`;

export interface SyncOptions {
  healthUrls: string[];
  pageId: string;
  componentId: string;
  /** Seconds between polls in service mode; null = one-shot. */
  intervalSeconds: number | null;
  /** How many independent checks in a row, all showing the same status, it takes to change the component. */
  confirm: number;
  /** One-shot mode: seconds between its polls. */
  confirmDelaySeconds: number;
  /** One-shot mode: how long it waits for `confirm` independent checks before deciding with what it has. */
  maxWaitSeconds: number;
  /** Where what the sync last confirmed and wrote is kept across runs; null = in memory only. */
  statePath: string | null;
  /** Per-request timeout, canaries and API alike. */
  timeoutSeconds: number;
  dryRun: boolean;
  apiBase: string;
  json: boolean;
  /** Null only in dry-run mode without a key: then the component is not read either. */
  apiKey: ApiKey | null;
}

export type ParsedCommand = { kind: 'help' } | { kind: 'run'; options: SyncOptions };

const FLAGS = {
  'health-url': { type: 'string', multiple: true },
  'page-id': { type: 'string' },
  'component-id': { type: 'string' },
  interval: { type: 'string' },
  confirm: { type: 'string' },
  'confirm-delay': { type: 'string' },
  'max-wait': { type: 'string' },
  state: { type: 'string' },
  timeout: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'api-base': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseSyncArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  rejectKeyInArgv(argv);
  const values = parseFlags(argv, FLAGS);
  if (values.help) return { kind: 'help' };

  const healthUrls = values['health-url'] ?? [];
  if (healthUrls.length === 0) throw new UsageError('--health-url is required (repeat it for several vantage points)');
  const dryRun = values['dry-run'] ?? false;
  const options: SyncOptions = {
    healthUrls: healthUrls.map((url) => httpUrl('--health-url', url)),
    pageId: requiredId('--page-id', values['page-id']),
    componentId: requiredId('--component-id', values['component-id']),
    intervalSeconds: values.interval === undefined ? null : positiveNumber('--interval', values.interval),
    confirm: values.confirm === undefined ? 2 : positiveInteger('--confirm', values.confirm),
    confirmDelaySeconds: values['confirm-delay'] === undefined ? 5 : nonNegativeNumber('--confirm-delay', values['confirm-delay']),
    maxWaitSeconds: values['max-wait'] === undefined ? DEFAULT_MAX_WAIT_SECONDS : nonNegativeNumber('--max-wait', values['max-wait']),
    statePath: values.state === undefined ? null : requiredPath('--state', values.state),
    timeoutSeconds: values.timeout === undefined ? 10 : positiveNumber('--timeout', values.timeout),
    dryRun,
    apiBase: httpUrl('--api-base', values['api-base'] ?? DEFAULT_API_BASE).replace(/\/+$/, ''),
    json: values.json ?? false,
    apiKey: null,
  };
  const rawKey = env[API_KEY_ENV] ?? '';
  if (rawKey === '' && !dryRun) throw new UsageError(`${API_KEY_ENV} is not set (it is required unless --dry-run)`);
  return { kind: 'run', options: { ...options, apiKey: rawKey === '' ? null : new ApiKey(rawKey) } };
}

/** Checked before parseArgs, so the user is told why and where the key goes instead of "Unknown option". */
function rejectKeyInArgv(argv: string[]): void {
  if (argv.some((arg) => arg === '--api-key' || arg.startsWith('--api-key='))) {
    throw new UsageError(
      `--api-key is not accepted: command lines end up in shell history and process lists; set ${API_KEY_ENV} in the environment instead`,
    );
  }
}

function requiredId(flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value.trim();
}

function requiredPath(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} needs a file path`);
  return value;
}

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} '${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} '${value}' is not an http(s) URL`);
  return value;
}

function parseNumber(flag: string, value: string, expected: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new UsageError(`${flag} '${value}' is not ${expected}`);
  return number;
}

function positiveNumber(flag: string, value: string): number {
  const number = parseNumber(flag, value, 'a positive number of seconds');
  if (number <= 0) throw new UsageError(`${flag} '${value}' is not a positive number of seconds`);
  return number;
}

function nonNegativeNumber(flag: string, value: string): number {
  const number = parseNumber(flag, value, 'a number of seconds >= 0');
  if (number < 0) throw new UsageError(`${flag} '${value}' is not a number of seconds >= 0`);
  return number;
}

function positiveInteger(flag: string, value: string): number {
  const number = parseNumber(flag, value, 'a whole number >= 1');
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} '${value}' is not a whole number >= 1`);
  return number;
}
