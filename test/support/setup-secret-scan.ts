/**
 * vitest setupFile: every test file runs with the secret scanner on. A credential seen in a
 * response, a header or a log line fails the test that produced it; one seen in a hook fails the
 * file. See secret-scan.ts for the API and secret-scan-hooks.ts for what is watched.
 */
import { afterAll, afterEach } from 'vitest';
import { SecretLeakError, takeSecretHits } from './secret-scan';
import { installSecretScanHooks } from './secret-scan-hooks';
import { registerKnownTestCredentials } from './secret-scan-known';

registerKnownTestCredentials();
installSecretScanHooks();

function failOnSightings(): void {
  const hits = takeSecretHits();
  if (hits.length > 0) throw new SecretLeakError(hits);
}

afterEach(failOnSightings);
afterAll(failOnSightings);
