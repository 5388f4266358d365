/**
 * What changed between two service versions, from the Fastly diff API's text format: the version's
 * YAML, every line marked ` ` (both), `-` (from only) or `+` (to only). Both documents are rebuilt
 * from the marks, read into objects (`backends:` / `- name: gcs` / `  address: ...`), and compared.
 * Only kinds, names and field names come out: values are compared, never kept in the result, and a
 * changed value that looks like a credential is flagged with its text not shown.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface VersionChange {
  /** "backend", "snippet", "setting", "version". */
  kind: string;
  /** The object's name ("gcs"), or the setting's key; "#2" for an unnamed list item. */
  name: string;
  change: ChangeKind;
  /** Field names whose values differ (never the values). */
  fields: string[];
  /** A changed value looked like it carries a credential (its text is not shown). */
  mayHoldCredential: boolean;
}

type Fields = Map<string, string>;
type Objects = Map<string, { kind: string; name: string; fields: Fields }>;

const SECTION = /^([A-Za-z0-9_.-]+):(.*)$/;
const ITEM = /^- (?:([A-Za-z0-9_.-]+):(.*))?$/;
const FIELD = /^ {2}([A-Za-z0-9_.-]+):(.*)$/;
/** Top-level keys that describe the version itself, not its configuration. */
const VERSION_FLAGS = new Set(['deployed', 'staging', 'testing', 'active', 'locked', 'service_id', 'number', 'version', 'created_at', 'updated_at', 'deleted_at']);
const CREDENTIAL_TEXT = /GOOG1[A-Z0-9]{8,}|AKIA[A-Z0-9]{12,}|secret|hmac|passw|token|authorization|credential|signature|private key|api[_-]?key/i;
const CREDENTIAL_FIELD = /secret|key|token|passw|cert|credential/i;

export function summarizeDiff(diff: string): VersionChange[] {
  const lines = diff.split('\n').filter((line) => line[0] === ' ' || line[0] === '+' || line[0] === '-');
  const from = readObjects(lines.filter((line) => line[0] !== '+').map((line) => line.slice(1)));
  const to = readObjects(lines.filter((line) => line[0] !== '-').map((line) => line.slice(1)));
  const changes: VersionChange[] = [];
  for (const [key, after] of to) {
    const before = from.get(key);
    if (!before) {
      changes.push({ kind: after.kind, name: after.name, change: 'added', fields: [], mayHoldCredential: looksSecret(after.fields, [...after.fields.keys()]) });
      continue;
    }
    const names = [...new Set([...before.fields.keys(), ...after.fields.keys()])];
    const fields = names.filter((f) => before.fields.get(f) !== after.fields.get(f)).sort();
    if (fields.length > 0) {
      changes.push({ kind: after.kind, name: after.name, change: 'changed', fields, mayHoldCredential: looksSecret(before.fields, fields) || looksSecret(after.fields, fields) });
    }
  }
  for (const [key, before] of from) {
    if (!to.has(key)) changes.push({ kind: before.kind, name: before.name, change: 'removed', fields: [], mayHoldCredential: false });
  }
  return changes;
}

function looksSecret(fields: Fields, names: string[]): boolean {
  return names.some((name) => CREDENTIAL_FIELD.test(name) || CREDENTIAL_TEXT.test(fields.get(name) ?? ''));
}

/** One YAML document of the diff into objects keyed `kind\0name`. */
function readObjects(lines: string[]): Objects {
  const objects: Objects = new Map();
  let section: string | null = null;
  let item: Fields | null = null;
  let field: string | null = null;
  let index = 0;
  const add = (kind: string, name: string, fields: Fields) => objects.set(`${kind}\0${name}`, { kind, name, fields });

  for (const body of lines) {
    const sectionMatch = SECTION.exec(body);
    if (sectionMatch) {
      section = sectionMatch[1] ?? '';
      item = null;
      field = null;
      index = 0;
      const value = (sectionMatch[2] ?? '').trim();
      if (value !== '' && value !== '[]' && value !== '{}' && !VERSION_FLAGS.has(section)) add('version', section, new Map([['value', value]]));
      continue;
    }
    if (section === null) continue;
    const itemMatch = ITEM.exec(body);
    if (itemMatch) {
      item = new Map();
      field = itemMatch[1] ?? null;
      if (field !== null) item.set(field, itemMatch[2] ?? '');
      add(kindOf(section), `#${++index}`, item);
      continue;
    }
    const fieldMatch = FIELD.exec(body);
    if (fieldMatch && item === null) {
      // A map section such as `settings:`: each key is its own object.
      field = 'value';
      add(kindOf(section), fieldMatch[1] ?? '', new Map([[field, fieldMatch[2] ?? '']]));
      continue;
    }
    if (fieldMatch && item !== null) {
      field = fieldMatch[1] ?? '';
      item.set(field, fieldMatch[2] ?? '');
      continue;
    }
    // A continuation line (a multi-line snippet body) belongs to the last field seen.
    if (item !== null && field !== null) item.set(field, `${item.get(field) ?? ''}\n${body}`);
  }
  return renameByName(objects);
}

/** List items are known by their `name` field once the whole item has been read. */
function renameByName(objects: Objects): Objects {
  const named: Objects = new Map();
  for (const object of objects.values()) {
    const name = object.fields.get('name');
    const shown = name === undefined ? object.name : printable(name);
    named.set(`${object.kind}\0${shown}`, { ...object, name: shown });
  }
  return named;
}

/** `backends` → `backend`, `dictionaries` → `dictionary`, `cache_settings` → `cache setting`. */
function kindOf(section: string): string {
  const words = section.replace(/_/g, ' ');
  if (words.endsWith('ies')) return `${words.slice(0, -3)}y`;
  if (words.endsWith('s') && !words.endsWith('ss')) return words.slice(0, -1);
  return words;
}

function printable(value: string): string {
  const trimmed = value.trim().replace(/^(['"])(.*)\1$/, '$2');
  return trimmed.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}

/** One line per change: `snippet gcs_sign: changed (content; looks like it holds a credential: text not shown)`. */
export function describeChange(change: VersionChange): string {
  const notes: string[] = [];
  if (change.fields.length > 0) notes.push(change.fields.join(', '));
  if (change.mayHoldCredential) notes.push('looks like it holds a credential: text not shown');
  return `${change.kind} ${change.name}: ${change.change}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
