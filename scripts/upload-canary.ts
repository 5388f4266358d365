/** `npm run upload -- --bucket B --object O [--interval S] [--dry-run] [--json] [--endpoint URL] [--writer NAME] [--force]` */
import { cliPrefix, reportCrash } from '../src/node/cli-kit';
import { main } from './uploader/cli';

// Not a usage error and not a failed write: a bug, printed whole.
process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => reportCrash(cliPrefix('upload'), error));
