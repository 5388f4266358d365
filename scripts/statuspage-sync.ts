/**
 * Mirrors the edge canary's `statuspage` status onto a Statuspage component, debounced, worst of
 * several vantage points, within the API's rate limit. Usage: see USAGE in ./statuspage/args.
 */
import { reportCrash } from '../src/node/cli-kit';
import { ApiKey } from './statuspage/api-key';
import type { ParsedCommand } from './statuspage/args';
import { API_KEY_ENV, USAGE, parseSyncArgs } from './statuspage/args';
import { UsageError } from './statuspage/errors';
import { runStatuspageSync } from './statuspage/sync-loop';
import { PREFIX } from './statuspage/sync-step';

async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseSyncArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const { options } = command;
  const redact = (text: string): string => options.apiKey?.redact(text) ?? text;
  const stop = new AbortController();
  const removeSignalHandlers = options.intervalSeconds === null ? () => {} : stopOnSignals(stop, (line) => process.stderr.write(`${line}\n`));
  try {
    return await runStatuspageSync(options, {
      out: (line) => process.stdout.write(`${redact(line)}\n`),
      err: (line) => process.stderr.write(`${redact(line)}\n`),
      stopSignal: stop.signal,
    });
  } finally {
    removeSignalHandlers();
  }
}

/** First SIGINT/SIGTERM: finish the step in flight, then exit 0. A second one: exit at once. */
function stopOnSignals(stop: AbortController, log: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(130);
    log(`${PREFIX} ${signal} received, stopping after the current step`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

const apiKey = new ApiKey(process.env[API_KEY_ENV] ?? '');
process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(PREFIX, error, (text) => apiKey.redact(text)));
