/**
 * A service version's configuration as the Fastly diff API shows it: YAML, sections in name order,
 * list items led by `- name:`, multi-line values as `|-` blocks; and the line diff between two
 * versions in the API's text format (` ` unchanged, `-` only in from, `+` only in to).
 */

export type FieldValue = string | number | boolean | null;
export type ServiceObject = { name: string } & Record<string, FieldValue>;
export type ServiceConfig = Record<string, ServiceObject[]>;

export function renderServiceYaml(config: ServiceConfig): string[] {
  const lines: string[] = [];
  for (const section of Object.keys(config).sort()) {
    const objects = config[section] ?? [];
    if (objects.length === 0) {
      lines.push(`${section}: []`);
      continue;
    }
    lines.push(`${section}:`);
    for (const object of objects) {
      const keys = ['name', ...Object.keys(object).filter((k) => k !== 'name').sort()];
      keys.forEach((key, index) => lines.push(...renderField(index === 0 ? '- ' : '  ', key, object[key] ?? null)));
    }
  }
  return lines;
}

function renderField(lead: string, key: string, value: FieldValue): string[] {
  if (typeof value === 'string' && value.includes('\n')) {
    return [`${lead}${key}: |-`, ...value.split('\n').map((line) => `    ${line}`)];
  }
  const shown = value === null ? '' : typeof value === 'string' ? (value === '' ? " ''" : ` ${value}`) : ` ${String(value)}`;
  return [`${lead}${key}:${shown}`];
}

/** The whole document, every line marked, as `GET /service/{id}/diff/from/{a}/to/{b}` returns it. */
export function diffText(from: ServiceConfig, to: ServiceConfig): string {
  const a = renderServiceYaml(from);
  const b = renderServiceYaml(to);
  // Longest common subsequence table, from the end, so the walk below goes forward.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(` ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+${b[j++]}`);
    } else {
      out.push(`-${a[i++]}`);
    }
  }
  return `${out.join('\n')}\n`;
}
