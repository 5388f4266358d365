/** Pulls the configuration files the README shows (code blocks starting with `# file: NAME`). */
import { readFileSync } from 'node:fs';

export function readmeFile(name: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const match of readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const block = match[1]!;
    if (block.startsWith(`# file: ${name}\n`)) return block;
  }
  throw new Error(`README.md has no code block starting with "# file: ${name}"`);
}
