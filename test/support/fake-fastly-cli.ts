/**
 * A stand-in for `npx fastly` that a documented shell script can run against: a Config Store kept
 * in the JSON file named by FAKE_FASTLY_STATE, answered as Fastly CLI 11 answers
 * (`config-store list --json`, `config-store-entry update --upsert | list --json | delete`). Like
 * the real CLI, a delete the API refuses (no such key, or a key in refuseDelete) prints an error and
 * exits 1. Every other
 * command (backends, secrets, activation) succeeds and is logged to FAKE_FASTLY_LOG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface FakeStore {
  id: string;
  name: string;
  items: Record<string, string>;
  /** Keys whose delete the API answers with a 503, as in an outage of the Fastly API. */
  refuseDelete?: string[];
}

function main(argv: string[]): number {
  const stateFile = process.env.FAKE_FASTLY_STATE ?? '';
  const store = JSON.parse(readFileSync(stateFile, 'utf8')) as FakeStore;
  const [tool, command, verb, ...rest] = argv;
  if (tool !== 'fastly') return fail(`fake npx runs only fastly, not ${tool}`);
  const { values } = parseArgs({ args: rest, strict: false, options: { 'store-id': { type: 'string' }, key: { type: 'string' }, value: { type: 'string' } } });
  const storeId = values['store-id'];
  const key = values.key;
  if (command === 'config-store' && verb === 'list') return print([{ id: store.id, name: store.name }]);
  if (command !== 'config-store-entry') return fail(`fake fastly does not know ${String(command)} ${String(verb)}`);
  if (storeId !== store.id) return fail(`the API answered 404: no Config Store ${String(storeId)}`);
  if (verb === 'list') return print(Object.entries(store.items).map(([itemKey, itemValue]) => ({ store_id: store.id, item_key: itemKey, item_value: itemValue })));
  if (typeof key !== 'string') return fail('error parsing arguments: required flag --key not provided');
  if (verb === 'update' && typeof values.value === 'string') store.items[key] = values.value;
  else if (verb === 'delete' && store.refuseDelete?.includes(key)) return fail(`503 - Service Unavailable: deleting item ${key}`);
  else if (verb === 'delete' && key in store.items) delete store.items[key];
  else if (verb === 'delete') return fail(`404 - Not Found: item ${key} not found in store ${store.id}`);
  else return fail(`fake fastly does not know config-store-entry ${String(verb)}`);
  writeFileSync(stateFile, JSON.stringify(store));
  return 0;
}

function print(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value)}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`ERROR: ${message}.\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
