import { inspect } from 'node:util';

const HIDDEN = '[redacted]';
/** Shorter values are not scrubbed from output: replacing every "a" would garble it and hide nothing. */
const MIN_REDACTABLE_LENGTH = 6;

/**
 * The Statuspage API key. It stringifies, serializes and inspects as "[redacted]", so a stray
 * template string or JSON.stringify of the options cannot leak it; only `reveal()` gives the value.
 */
export class ApiKey {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** Replaces every occurrence of the key in text meant for a terminal or log. */
  redact(text: string): string {
    if (this.#value.length < MIN_REDACTABLE_LENGTH) return text;
    return text.split(this.#value).join(HIDDEN);
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return `ApiKey(${HIDDEN})`;
  }
}
