/**
 * The documentation as the tests read it: a page's text (README.md or a page under docs/), and the
 * configuration files it shows (code blocks starting with `# file: NAME`), so what a reader pastes
 * is what the tests run.
 */
import { readFileSync } from 'node:fs';

/** A path from the repository root: `README.md`, `docs/integrations.md`, ... */
export type DocPage = 'README.md' | `docs/${string}.md`;

export function docText(page: DocPage): string {
  return readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8');
}

export function docFile(page: DocPage, name: string): string {
  for (const match of docText(page).matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const block = match[1]!;
    if (block.startsWith(`# file: ${name}\n`)) return block;
  }
  throw new Error(`${page} has no code block starting with "# file: ${name}"`);
}

export const readmeText = (): string => docText('README.md');
export const readmeFile = (name: string): string => docFile('README.md', name);
