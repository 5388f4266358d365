/** The gate's flags and environment, checked up front: every mistake is a UsageError that names the flag. */
import { UsageError, parseFlags } from '../../src/node/cli-kit';
import type { EdgeJudgement } from '../../src/core/probe';
import { FASTLY_API_BASE } from './fastly-api';
import type { Address } from './readings';

export const USAGE = 'usage: npm run gate -- --service-id S --version N --url https://files.example.org/edge-canary/canary.json\n'
  + '         [--activate] [--confirm K] [--settle S] [--interval S] [--connect-to HOST:PORT] [--api-base URL]\n'
  + '         [--backend-header NAME --expected-backend VALUE] [--json]\n'
  + '       env: FASTLY_API_TOKEN (never on the command line)';

export interface GateOptions {
  serviceId: string;
  version: number;
  url: URL;
  activate: boolean;
  /** How many readings through staging must all pass. */
  confirm: number;
  /** Wait after staging (and after activating) before reading: activation takes a while to reach every POP. */
  settleMs: number;
  intervalMs: number;
  connectTo: Address | null;
  apiBase: string;
  judgement: EdgeJudgement;
  deadlineMs: number;
  json: boolean;
  token: string;
}

const SERVICE_ID = /^[A-Za-z0-9]{1,64}$/;

export function parseGateArgs(argv: string[], env: NodeJS.ProcessEnv): GateOptions | 'help' {
  const token = env.FASTLY_API_TOKEN ?? '';
  // Refused before parsing, so no error message can ever echo it.
  if (token !== '' && argv.some((arg) => arg.includes(token))) {
    throw new UsageError('the API token must not be on the command line (ps and CI logs show it): set FASTLY_API_TOKEN only');
  }
  const values = parseFlags(argv, {
    'service-id': { type: 'string' },
    version: { type: 'string' },
    url: { type: 'string' },
    activate: { type: 'boolean', default: false },
    confirm: { type: 'string', default: '3' },
    settle: { type: 'string', default: '30' },
    interval: { type: 'string', default: '1' },
    'connect-to': { type: 'string' },
    'api-base': { type: 'string', default: FASTLY_API_BASE },
    'backend-header': { type: 'string' },
    'expected-backend': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  const serviceId = required(values['service-id'], '--service-id');
  if (!SERVICE_ID.test(serviceId)) throw new UsageError(`--service-id must be the service's alphanumeric ID, got "${short(serviceId)}"`);
  const version = wholeNumber('--version', required(values.version, '--version'), 1, 1_000_000);
  const url = parseCanaryUrl(required(values.url, '--url'));
  const confirm = wholeNumber('--confirm', values.confirm, 2, 20);
  const header = values['backend-header'];
  const expected = values['expected-backend'];
  if ((header === undefined) !== (expected === undefined)) throw new UsageError('--backend-header and --expected-backend go together');
  if (token === '') throw new UsageError('set FASTLY_API_TOKEN to a Fastly API token that may activate versions of this service');
  return {
    serviceId, version, url, confirm,
    activate: values.activate,
    settleMs: seconds('--settle', values.settle),
    intervalMs: seconds('--interval', values.interval),
    connectTo: values['connect-to'] === undefined ? null : parseAddress(values['connect-to']),
    apiBase: parseApiBase(values['api-base']),
    judgement: { attempts: 2, warnAgeSeconds: 300, maxAgeSeconds: 900, edgeBackendHeader: header ?? null, edgeExpectedBackend: expected ?? null },
    deadlineMs: 8000,
    json: values.json,
    token,
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${short(text)}"`);
  return n;
}

function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n > 600) throw new UsageError(`${flag} must be a number of seconds up to 600, got "${short(text)}"`);
  return n * 1000;
}

function parseCanaryUrl(text: string): URL {
  if (!URL.canParse(text)) throw new UsageError(`--url must be the canary's URL on the production hostname, got "${short(text)}"`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--url must be http or https, got "${url.protocol}"`);
  if (url.username || url.password) throw new UsageError('--url must not carry credentials');
  return url;
}

/** `HOST:PORT`, `[v6]:PORT`, as curl's --connect-to names the address actually connected to. */
export function parseAddress(text: string): Address {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65_535) throw new UsageError(`--connect-to must be HOST:PORT (e.g. 151.101.2.10:443), got "${short(text)}"`);
  return { host: match[1] ?? match[2] ?? '', port };
}

function parseApiBase(text: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new UsageError(`--api-base must be an http(s) URL, got "${short(text)}"`);
  return text;
}

function short(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}
