/** `npm run upload -- --bucket B --object O [--interval S] [--dry-run] [--json] [--endpoint URL] [--writer NAME] [--force]` */
import { main } from './uploader/cli';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Not a usage error and not a failed write: a bug. Print it whole.
  console.error(error);
  process.exitCode = 2;
}
