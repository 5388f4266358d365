/**
 * `npm run gate -- --service-id S --version N --url URL [--activate] ...`: stages version N of the
 * production service, reads the canary through Fastly staging as the canary's edge check would,
 * prints what changed (names, never values), and activates N only when every reading passed and
 * --activate was given. Exit 0 passed (and activated when asked), 1 usage or configuration error,
 * 2 blocked, the API failed, or production failed after activation. The token comes only from
 * FASTLY_API_TOKEN and is never printed.
 */
import { UsageError, cliPrefix, reportCrash } from '../src/node/cli-kit';
import { USAGE, parseGateArgs, type GateOptions } from './gate/args';
import { liveGateDeps } from './gate/deps';
import { exitCodeOf, toJson, verdictLines } from './gate/output';
import { runGate } from './gate/run-gate';

const PREFIX = cliPrefix('gate');

async function main(argv: string[]): Promise<number> {
  let options: GateOptions | 'help';
  try {
    options = parseGateArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${error.message}\n${USAGE}\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { json, token } = options;
  // Belt and braces: nothing the gate writes may contain the token, whatever a message quotes.
  const scrub = (text: string) => text.split(token).join('[FASTLY_API_TOKEN]');
  const say = (line: string) => {
    if (!json) process.stdout.write(`${scrub(line)}\n`);
  };
  const stop = new AbortController();
  const onSignal = () => {
    process.stderr.write(`${PREFIX} stopping; version ${options.version} is not activated and is taken off staging if it was staged\n`);
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await runGate(options, liveGateDeps(options, say, stop.signal));
    if (json) process.stdout.write(`${scrub(toJson(report))}\n`);
    else for (const line of verdictLines(report)) say(line);
    return exitCodeOf(report);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PREFIX} ${scrub(error.message)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const token = process.env.FASTLY_API_TOKEN;
  process.exitCode = reportCrash(PREFIX, error, (text) => (token ? text.split(token).join('[FASTLY_API_TOKEN]') : text));
}
