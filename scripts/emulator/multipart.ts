/** Just enough multipart/related parsing for `uploadType=multipart`: a JSON part, then the media. */

export interface MultipartPart {
  /** Lowercased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function parsePart(raw: Buffer): MultipartPart {
  // A part may have no headers at all: then it starts with the blank line.
  const headerEnd = raw.subarray(0, 2).equals(CRLF) ? -2 : raw.indexOf(HEADER_END);
  if (headerEnd === -1) throw new MultipartError('a multipart part has no blank line after its headers');
  const headers: Record<string, string> = {};
  const headerText = headerEnd < 0 ? '' : raw.subarray(0, headerEnd).toString('utf8');
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(headerEnd + 4) };
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position === -1) throw new MultipartError('the body does not contain the multipart boundary');
  position += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(position, position + 2).toString() === '--') return parts;
    const lineEnd = body.indexOf(CRLF, position);
    if (lineEnd === -1) throw new MultipartError('the multipart body ends inside a delimiter line');
    const start = lineEnd + 2;
    const next = body.indexOf(between, start);
    if (next === -1) throw new MultipartError('the multipart body has no closing boundary');
    parts.push(parsePart(body.subarray(start, next)));
    position = next + between.length;
  }
}
