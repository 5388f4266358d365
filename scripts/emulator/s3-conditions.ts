/** Conditional requests as S3 evaluates them, writes: `If-None-Match: *` for create-only, `If-Match: ETAG` for replace-only. */
import type { HeaderList } from './canonical';
import { headerValue } from './canonical';
import type { XmlApiError } from './errors';
import { s3Errors } from './s3-errors';
import type { StoredObject } from './store';
import { xmlEtag } from './store';

function etagList(value: string): string[] {
  return value.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '')).filter((tag) => tag !== '');
}

/** Null when the write may go ahead; otherwise the error S3 answers with. */
export function writeConditionError(headers: HeaderList, current: StoredObject | undefined): XmlApiError | null {
  const ifNoneMatch = headerValue(headers, 'if-none-match')?.trim();
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') return s3Errors.notImplemented('A header you provided implies functionality that is not implemented: If-None-Match on PUT takes only *.');
    if (current) return s3Errors.preconditionFailed('If-None-Match');
  }
  const ifMatch = headerValue(headers, 'if-match')?.trim();
  if (ifMatch !== undefined) {
    // S3 answers If-Match on a key that does not exist with 404, not 412.
    if (!current) return s3Errors.noSuchKey();
    const currentTag = xmlEtag(current).replace(/"/g, '');
    const tags = etagList(ifMatch);
    if (!tags.includes('*') && !tags.includes(currentTag)) return s3Errors.preconditionFailed('If-Match');
  }
  return null;
}

/** Conditional reads: `If-Match` that fails is 412; `If-None-Match` that matches is 304 (null: read as usual). */
export function readConditionStatus(headers: HeaderList, current: StoredObject): 412 | 304 | null {
  const currentTag = xmlEtag(current).replace(/"/g, '');
  const ifMatch = headerValue(headers, 'if-match')?.trim();
  if (ifMatch !== undefined) {
    const tags = etagList(ifMatch);
    if (!tags.includes('*') && !tags.includes(currentTag)) return 412;
  }
  const ifNoneMatch = headerValue(headers, 'if-none-match')?.trim();
  if (ifNoneMatch !== undefined) {
    const tags = etagList(ifNoneMatch);
    if (tags.includes('*') || tags.includes(currentTag)) return 304;
  }
  return null;
}
