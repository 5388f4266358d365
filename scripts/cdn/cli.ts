/**
 * `npm run cdn -- --origin URL --bucket B`: the local production CDN on its own, in
 * front of a running emulator (`npm run emulator`). Credentials come from the environment:
 * CDN_HMAC_ACCESS_ID / CDN_HMAC_SECRET, and CDN_FALLBACK_HMAC_ACCESS_ID / CDN_FALLBACK_HMAC_SECRET
 * with --fallback-bucket. One line per request on stdout (JSON with --json). Exit 0 after Ctrl-C or
 * SIGTERM, 1 for a usage or configuration error.
 */
import { UsageError, cliPrefix, reportCrash, untilStopSignal } from '../../src/node/cli-kit';
import { CDN_USAGE, parseCdnArgs } from './cli-options';
import { CdnConfigError, startCdn, type CdnLogEntry, type OriginSpec } from './index';

const PREFIX = cliPrefix('cdn');
function formatEntry(entry: CdnLogEntry, json: boolean): string {
  if (json) return JSON.stringify({ time: new Date().toISOString(), ...entry });
  const via = entry.servedBy === 'fallback' ? ' via fallback (Fastly-Restarts: 1)' : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.cache}${entry.cache === 'HIT' ? ` age=${entry.ageSeconds}s` : ''}${via}`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCdnArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${CDN_USAGE}\n`);
    return 1;
  }
  if (parsed === 'help') {
    process.stdout.write(`${CDN_USAGE}\n`);
    return 0;
  }
  const { options, json } = parsed;
  let cdn;
  try {
    cdn = await startCdn({ ...options, onRequest: (entry) => process.stdout.write(`${formatEntry(entry, json)}\n`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CdnConfigError || code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`${PREFIX} ${code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  const rule = cdn.options.canaryRule ? `canary rule on for ${cdn.options.canaryPath}` : 'canary rule OFF';
  const bucket = (o: OriginSpec) => `bucket ${o.bucket} (${o.signing ?? 'goog4'}, ${o.host ?? 'storage.googleapis.com'}) at ${o.url}`;
  const fallback = cdn.options.fallback ? `, restarting onto ${bucket(cdn.options.fallback)}${cdn.options.canaryRestarts ? ' (the canary path too)' : ''}` : '';
  process.stderr.write(`local CDN listening on ${cdn.url} -> ${bucket(cdn.options.origin)}${fallback} (${cdn.options.cachePolicy}, ttl ${cdn.options.ttlSeconds}s, ${rule})\n`);
  const signal = await untilStopSignal();
  await cdn.close();
  process.stderr.write(`local CDN stopped (${signal})\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error));
