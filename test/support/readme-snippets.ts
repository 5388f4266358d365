/** The README as the tests read it: its text, and the configuration files it shows (code blocks starting with `# file: NAME`). */
import { readFileSync } from 'node:fs';

export function readmeText(): string {
  return readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
}

export function readmeFile(name: string): string {
  for (const match of readmeText().matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const block = match[1]!;
    if (block.startsWith(`# file: ${name}\n`)) return block;
  }
  throw new Error(`README.md has no code block starting with "# file: ${name}"`);
}
