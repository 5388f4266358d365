/**
 * A strict reader of the Prometheus text format 0.0.4, written for the tests independently of the
 * renderer: it throws on anything a scraper would reject or silently misread.
 */
export interface ParsedSample {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  help: Map<string, string>;
  types: Map<string, string>;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^(?:NaN|[+-]Inf|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

export function parseExposition(text: string): ParsedExposition {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const parsed: ParsedExposition = { help: new Map(), types: new Map(), samples: [] };
  const seriesSeen = new Set<string>();
  text.slice(0, -1).split('\n').forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) return readMeta(parsed, line, where);
    if (line.startsWith('#') || line.trim() === '') throw new Error(`${where}: unexpected comment or blank line`);
    const sample = readSample(line, where);
    if (!parsed.help.has(sample.metric)) throw new Error(`${where}: no HELP before the first sample`);
    if (!parsed.types.has(sample.metric)) throw new Error(`${where}: no TYPE before the first sample`);
    const series = seriesKey(sample);
    if (seriesSeen.has(series)) throw new Error(`${where}: duplicate series ${series}`);
    seriesSeen.add(series);
    parsed.samples.push(sample);
  });
  return parsed;
}

export function seriesKey({ metric, labels }: Pick<ParsedSample, 'metric' | 'labels'>): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return `${metric}{${pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function readMeta(parsed: ParsedExposition, line: string, where: string): void {
  const [, kind, name, ...rest] = line.split(' ');
  if (!NAME.test(name ?? '')) throw new Error(`${where}: bad metric name`);
  const table = kind === 'HELP' ? parsed.help : parsed.types;
  if (table.has(name)) throw new Error(`${where}: second ${kind} for ${name}`);
  if (parsed.samples.some((s) => s.metric === name)) throw new Error(`${where}: ${kind} after samples of ${name}`);
  table.set(name, rest.join(' '));
}

function readSample(line: string, where: string): ParsedSample {
  const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!match) throw new Error(`${where}: not a sample`);
  const [, metric, labelText, valueText] = match;
  if (!NAME.test(metric)) throw new Error(`${where}: bad metric name`);
  if (!FLOAT.test(valueText)) throw new Error(`${where}: value is not a float`);
  const value = valueText === 'NaN' ? NaN : valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
  return { metric, labels: labelText === undefined ? {} : readLabels(labelText, where), value };
}

function readLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const eq = rest.indexOf('="');
    const name = rest.slice(0, eq);
    if (eq < 0 || !LABEL_NAME.test(name)) throw new Error(`${where}: bad label name in ${JSON.stringify(rest)}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    let value = '';
    let i = eq + 2;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\n') throw new Error(`${where}: raw newline in label value`);
      if (rest[i] !== '\\') {
        value += rest[i];
        continue;
      }
      const escaped = rest[++i];
      if (escaped === 'n') value += '\n';
      else if (escaped === '\\' || escaped === '"') value += escaped;
      else throw new Error(`${where}: bad escape \\${escaped}`);
    }
    if (i >= rest.length) throw new Error(`${where}: unterminated label value`);
    labels[name] = value;
    rest = rest.slice(i + 1);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest.length > 0) throw new Error(`${where}: expected , between labels`);
  }
  return labels;
}
