/** Running the monitoring tools a documentation page tells readers to paste (check_http, promtool). */
import { execFile } from 'node:child_process';
import { docText, type DocPage } from './readme-snippets';

/** Runs a tool; the exit code (99 when it could not be run) and stdout+stderr. */
export function runTool(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * The page's check_http command as words, re-aimed at the local canary: its `-H` host, `-S` and
 * `--sni` (HTTPS to canary.example.org) give way to plain HTTP on 127.0.0.1; every other argument
 * is the page's own. The first command of the page, or the first whose text includes `containing`.
 */
export function pageCheckHttpArgs(page: DocPage, port: string, containing = ''): string[] {
  const commands = [...docText(page).matchAll(/^\/usr\/lib\/nagios\/plugins\/check_http ((?:.*\\\n)*.*)$/gm)].map((match) => match[1]!);
  // A page may show several (one for pages, one for tickets): `containing` picks the one with that text.
  const command = commands.find((text) => text.includes(containing));
  if (command === undefined) throw new Error(`${page} has no check_http command line${containing ? ` containing ${JSON.stringify(containing)}` : ''}`);
  const words = [...command.replace(/\\\n\s*/g, ' ').matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!);
  const args = ['-H', '127.0.0.1', '-p', port];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-H') i++;
    else if (words[i] !== '-S' && words[i] !== '--sni') args.push(words[i]!);
  }
  return args;
}
