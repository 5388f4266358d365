/** The `origins` examples a reader pastes (docs/origins.md, docs/deploy.md, fastly.toml's [setup] comment) are valid configuration. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOrigins } from '../../src/core/origins';
import { docText } from '../support/readme-snippets';

const manifest = readFileSync(new URL('../../fastly.toml', import.meta.url), 'utf8');
const page = docText('docs/origins.md');
const deploy = docText('docs/deploy.md');

const EXAMPLES = [
  { name: 'docs/origins.md, the JSON block', value: /```json\n([\s\S]*?)```/.exec(page)?.[1] },
  { name: 'docs/deploy.md, the config-store-entry command', value: /--key origins \\\n\s+--value '([^']+)'/.exec(deploy)?.[1] },
  { name: "fastly.toml's [setup] comment", value: /^\s*#\s+value = '(\[.*\])'$/m.exec(manifest)?.[1] },
];

describe('origins examples', () => {
  it.each(EXAMPLES)('$name decodes to a B2 primary and an S3 fallback', ({ value }) => {
    expect(value, 'the example is where the test looks for it').toBeDefined();
    const parsed = parseOrigins(value!);
    expect(parsed.ok ? parsed.origins.map((o) => [o.target, o.provider, o.backend]) : parsed.errors).toEqual([
      ['origin:primary', 'b2', 'b2'],
      ['origin:fallback', 's3', 'archive'],
    ]);
  });
});
