/**
 * The HMAC credentials the test suite uses, registered with the scanner for every test file.
 * Collected by grepping test/ for access ids and secrets; a new suite can add its own with
 * registerSecret() (or extend this list). Values shorter than MIN_SECRET_LENGTH ('wrong', 's3cr3t')
 * are left out: they would match ordinary text.
 */
import { fileURLToPath } from 'node:url';
import { loadManifest } from '../../src/node/manifest';
import { SECRET_ACCESS_ID, SECRET_SECRET, SECRET_STORE } from '../../src/core/types';
import { ARCHIVE_KEY as DEMO_ARCHIVE_KEY, PRIMARY_KEY as DEMO_PRIMARY_KEY, UPLOADER_KEY as DEMO_UPLOADER_KEY } from '../../scripts/demo/archive-stack';
import { ARCHIVE_DEV_KEY } from '../../scripts/stack/archive';
import { DEMO_KEY } from '../../scripts/demo/stack';
import { TEST_ACCESS_ID, TEST_SECRET } from './fake-platform';
import { registerSecret } from './secret-scan';
import type { CredentialKind } from './secret-scan';

interface KnownCredential {
  value: string;
  kind: CredentialKind;
  label: string;
}

const KNOWN: KnownCredential[] = [
  { value: DEMO_KEY.secret, kind: 'secret', label: 'DEMO_KEY.secret (scripts/demo/stack.ts, the 2022 scene)' },
  { value: DEMO_PRIMARY_KEY.secret, kind: 'secret', label: 'PRIMARY_KEY.secret (scripts/demo/archive-stack.ts)' },
  { value: DEMO_ARCHIVE_KEY.secret, kind: 'secret', label: 'ARCHIVE_KEY.secret (scripts/demo/archive-stack.ts)' },
  { value: DEMO_UPLOADER_KEY.secret, kind: 'secret', label: 'UPLOADER_KEY.secret (scripts/demo/archive-stack.ts)' },
  { value: ARCHIVE_DEV_KEY.secret, kind: 'secret', label: 'ARCHIVE_DEV_KEY.secret (scripts/stack/archive.ts, npm start\'s archive)' },
  { value: TEST_ACCESS_ID, kind: 'access-id', label: 'TEST_ACCESS_ID (test/support/fake-platform.ts)' },
  { value: TEST_SECRET, kind: 'secret', label: 'TEST_SECRET (test/support/fake-platform.ts)' },
  { value: 'GOOG1EHOSTTESTACCESSID000000000000000000000000000000000000', kind: 'access-id', label: 'ACCESS_ID (test/node/host-aws4.test.ts)' },
  { value: 'aG9zdC10ZXN0LXNlY3JldC1lZGdlLWNhbmFyeS0wMDAw', kind: 'secret', label: 'SECRET (test/node/host-aws4.test.ts)' },
  { value: 'd3Jvbmctc2VjcmV0LWVkZ2UtY2FuYXJ5LTAwMDAwMDAw', kind: 'secret', label: 'WRONG_SECRET (test/node/host-aws4.test.ts)' },
  { value: 'GOOG1EVERIFYTESTKEY000000000000000000000000000000000000000001', kind: 'access-id', label: 'ACCESS_ID (test/verify/verify-credentials.test.ts)' },
  { value: 'dmVyaWZ5LXRlc3Qtc2VjcmV0LTAwMDAwMDAwMDAwMA==', kind: 'secret', label: 'SECRET (test/verify/verify-credentials.test.ts)' },
  { value: 'GOOG1ETESTKEY0000000000000000000000000000000000000000000000', kind: 'access-id', label: 'KEY.accessId (test/emulator/xml-signatures.test.ts)' },
  { value: 'dGVzdC1zZWNyZXQtZm9yLXRoZS1lbXVsYXRvcg==', kind: 'secret', label: 'KEY.secret (test/emulator/xml-signatures.test.ts)' },
  { value: 'GOOG1ECONTROLTEST', kind: 'access-id', label: 'KEY.accessId (test/emulator/control-api.test.ts)' },
  { value: 'control-test-secret-value', kind: 'secret', label: 'KEY.secret (test/emulator/control-api.test.ts)' },
  { value: 'extra-secret-value', kind: 'secret', label: 'extra.secret (test/emulator/control-api.test.ts)' },
  { value: 'GOOG1EXMLTEST', kind: 'access-id', label: 'KEY.accessId (test/emulator/xml-api.test.ts)' },
  { value: 'xml-test-secret', kind: 'secret', label: 'KEY.secret (test/emulator/xml-api.test.ts)' },
  { value: 'GOOG1EXAMPLEACCESSID0123456789', kind: 'access-id', label: 'accessId (test/core/sign-goog4.test.ts)' },
  { value: 'bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ', kind: 'secret', label: 'secret (test/core/sign-goog4.test.ts)' },
  { value: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', kind: 'secret', label: 'AWS SigV4 suite secret (test/core/sign-vectors.test.ts)' },
  { value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', kind: 'secret', label: 'AWS docs secret (test/core/sign-vectors.test.ts)' },
  { value: 'AKIAIOSFODNN7EXAMPLE', kind: 'access-id', label: 'AWS docs access id (test/core/sign-vectors.test.ts)' },
  { value: 'top-secret-value/+=', kind: 'secret', label: 'secret (test/core/sign-object.test.ts)' },
  { value: 'TOP-SECRET-VALUE', kind: 'secret', label: 'leak test secret (test/node/manifest.test.ts)' },
  { value: 'secret-from-file', kind: 'secret', label: 'file secret (test/node/manifest.test.ts)' },
  { value: 'AKIAS3SDKTEST', kind: 'access-id', label: 'KEY.accessId (test/emulator/s3-sdk.test.ts)' },
  { value: 's3-sdk-test-secret', kind: 'secret', label: 'KEY.secret (test/emulator/s3-sdk.test.ts)' },
  { value: 'AKIAS3SEMANTICS', kind: 'access-id', label: 'KEY.accessId (test/emulator/s3-semantics.test.ts)' },
  { value: 's3-semantics-secret', kind: 'secret', label: 'KEY.secret (test/emulator/s3-semantics.test.ts)' },
  { value: 'AKIAUPLOADARCHIVE', kind: 'access-id', label: 'ARCHIVE_KEY.accessId (test/uploader/origins-cli.test.ts)' },
  { value: 'uploader-archive-secret', kind: 'secret', label: 'ARCHIVE_KEY.secret (test/uploader/origins-cli.test.ts)' },
  { value: 'AKIAS3BACKENDTEST', kind: 'access-id', label: 'KEY.accessId (test/uploader/s3-backend.test.ts)' },
  { value: 's3-backend-test-secret', kind: 'secret', label: 'KEY.secret (test/uploader/s3-backend.test.ts)' },
  { value: 'AKIAS3PUTBODY', kind: 'access-id', label: 'KEY.accessId (test/emulator/s3-put-body.test.ts)' },
  { value: 's3-put-body-secret', kind: 'secret', label: 'KEY.secret (test/emulator/s3-put-body.test.ts)' },
];

export function registerKnownTestCredentials(): void {
  for (const { value, kind, label } of KNOWN) registerSecret(value, { kind, label });
  registerLocalDevKey();
}

/** The `[local_server]` dev key of fastly.toml, read from the file so a changed key stays covered. */
function registerLocalDevKey(): void {
  const manifest = loadManifest(fileURLToPath(new URL('../../fastly.toml', import.meta.url)));
  const store = manifest.secretStores.get(SECRET_STORE);
  const kinds: Record<string, CredentialKind> = { [SECRET_ACCESS_ID]: 'access-id', [SECRET_SECRET]: 'secret' };
  for (const [name, kind] of Object.entries(kinds)) {
    const entry = store?.get(name);
    if (entry?.kind === 'value') registerSecret(entry.value, { kind, label: `fastly.toml local dev ${name}` });
  }
}
