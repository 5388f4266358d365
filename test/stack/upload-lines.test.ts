/** What npm start prints about the uploader: a failure in the first tick stops the stack, so it says what to check, never "next try". */
import { describe, expect, it } from 'vitest';
import { CanaryWriteError } from '../../scripts/uploader';
import { describeUpload } from '../../scripts/stack/upload-lines';

const refused = new CanaryWriteError('rejected', 'storage refused writing s3://files/edge-canary/canary.json: 403 AccessDenied', 1);

describe('describeUpload', () => {
  it('a failure of the first tick: what failed and what to check, no next try', () => {
    const line = describeUpload({ kind: 'error', error: refused }, { prefix: 'edge-canary start:', intervalMs: 30_000, started: false });
    expect(line).toBe("edge-canary start: uploader: storage refused writing s3://files/edge-canary/canary.json: 403 AccessDenied; the stack cannot start without it: check the manifest's bucket and object names (and, for an origins list, each origin's provider and region)");
    expect(line).not.toContain('next try');
  });

  it.each([
    { kind: 'unreachable' as const, says: 'the local emulator did not answer the write' },
    { kind: 'server_error' as const, says: 'the local emulator did not answer the write' },
    { kind: 'conflict' as const, says: 'another writer changed the object' },
    { kind: 'verify_failed' as const, says: 'another writer changed the object' },
  ])('a first-tick $kind says what to check', ({ kind, says }) => {
    const error = new CanaryWriteError(kind, 'it failed', 2);
    expect(describeUpload({ kind: 'error', error }, { prefix: 'p', intervalMs: 30_000, started: false })).toContain(says);
  });

  it('a failure once running announces the next try', () => {
    expect(describeUpload({ kind: 'error', error: refused }, { prefix: 'p', intervalMs: 30_000, started: true })).toMatch(/; next try in 30 s$/);
  });
});
