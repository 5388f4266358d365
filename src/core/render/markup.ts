/**
 * Escaping HTML templates: every interpolated string is escaped, only Markup passes through, so a
 * value from the origin (error codes, details) can never become an element.
 */
export class Markup {
  constructor(readonly text: string) {}
}

type Interpolation = string | number | Markup | readonly Markup[];

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let text = strings[0];
  values.forEach((value, index) => {
    text += interpolate(value) + strings[index + 1];
  });
  return new Markup(text);
}

function interpolate(value: Interpolation): string {
  if (value instanceof Markup) return value.text;
  if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
  return value.map((part) => part.text).join('');
}

export const NONE = new Markup('');
