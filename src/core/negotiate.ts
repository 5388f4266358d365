/** Picks the /health body format from `?format=` or the Accept header (DESIGN.md §4). */

export const FORMATS = ['json', 'text', 'prometheus', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export type Negotiated = { ok: true; format: Format } | { ok: false; message: string };

const MEDIA_TYPES: Array<[string, Format]> = [
  ['application/health+json', 'json'],
  ['application/json', 'json'],
  ['text/html', 'html'],
  ['application/xhtml+xml', 'html'],
  ['application/openmetrics-text', 'prometheus'],
  ['text/plain', 'text'],
];

export function negotiateFormat(formatParam: string | undefined, accept: string | undefined): Negotiated {
  if (formatParam !== undefined) {
    const format = FORMATS.find((f) => f === formatParam.toLowerCase());
    if (format) return { ok: true, format };
    return { ok: false, message: `unknown format ${JSON.stringify(formatParam.slice(0, 40))}; use one of ${FORMATS.join(', ')}` };
  }
  return { ok: true, format: fromAccept(accept ?? '') };
}

/** Highest q wins; among equals, the order the client listed them. Anything else gets health+json. */
function fromAccept(accept: string): Format {
  let best: { format: Format; q: number } | null = null;
  for (const range of accept.split(',').slice(0, 32)) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    if (!(q > 0)) continue;
    let format = MEDIA_TYPES.find(([media]) => media === type)?.[1];
    // Prometheus scrapers ask for text/plain;version=0.0.4: give them metrics, not prose.
    if (format === 'text' && params.includes('version=0.0.4')) format = 'prometheus';
    if (format && (!best || q > best.q)) best = { format, q };
  }
  return best?.format ?? 'json';
}
