/**
 * The object name is used literally, as one exact object: never a pattern, a prefix or a path to
 * resolve. Names that could be read as any of those are refused before anything is sent.
 */

export const MAX_OBJECT_NAME_BYTES = 1024;

const WILDCARD_OR_FRAGMENT = /[*?[\]#]/;
// C0 controls, DEL and C1 controls: invisible in logs and refused or mangled by GCS tools.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `name` cannot be used as the canary object, or null when it can. */
export function objectNameProblem(name: string): string | null {
  if (name.length === 0) return 'the object name is empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJECT_NAME_BYTES) {
    return `the object name is longer than ${MAX_OBJECT_NAME_BYTES} bytes`;
  }
  if (CONTROL_CHARACTER.test(name)) return 'the object name contains a control character';
  const wildcard = WILDCARD_OR_FRAGMENT.exec(name);
  if (wildcard) {
    return `the object name contains "${wildcard[0]}"; names are used literally, never as a pattern (no * ? [ ] #)`;
  }
  if (name.startsWith('/')) return 'the object name starts with "/"; give it without a leading slash';
  if (name.split('/').some((segment) => segment === '..' || segment === '.')) {
    return 'the object name has a "." or ".." segment; give the exact name, not a relative path';
  }
  return null;
}

/** Bucket names as GCS allows them, loosely: lowercase, digits, `-`, `_`, `.`. */
export function bucketNameProblem(name: string): string | null {
  if (name.length === 0) return 'the bucket name is empty';
  if (name.length > 222) return 'the bucket name is longer than 222 characters';
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    return `the bucket name ${JSON.stringify(name)} may contain only lowercase letters, digits, "-", "_" and "." (no gs:// prefix, no slashes)`;
  }
  return null;
}
