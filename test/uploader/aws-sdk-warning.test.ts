/**
 * @aws-sdk/client-s3's Node version warning is switched off the SDK's documented way
 * (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) by the uploader and by the tests' S3 client,
 * not filtered from stderr: each runs here in a process whose environment lacks the switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../scripts/emulator';
import { NODE_VERSION_WARNING_SWITCH } from '../../scripts/uploader/aws-sdk-node-warning';
import { spawnScript } from '../support/spawn-script';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { cleanEnv, runCli } from './run-cli';

const KEY = { accessId: 'AKIAUPLOADWARNING0001', secret: 'uploader-warning-test-secret' };
const ORIGINS = [{
  role: 'primary', backend: 'archive', bucket: 'files-archive', object: 'edge-canary/canary.json', signing: 'aws4',
  host: 's3.us-west-2.amazonaws.com', region: 'us-west-2', provider: 's3', credential: 'archive',
}];
const WARNING = 'NodeVersionSupportWarning';

/** This process's environment without the switch, so a child shows the warning unless it sets it itself. */
function envWithoutSwitch(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv();
  delete env[NODE_VERSION_WARNING_SWITCH];
  return { ...env, ...extra };
}

describe("the AWS SDK's Node version warning", () => {
  let emulator: Emulator;
  let dir: TempDir;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, buckets: [], hmacKeys: [KEY], s3Buckets: [{ name: 'files-archive', provider: 's3', region: 'us-west-2' }] });
    dir = makeTempDir('upload-warning-');
  });
  afterAll(async () => {
    dir.remove();
    await emulator.close();
  });

  it('npm run upload to an S3-compatible origin prints none', async () => {
    const origins = dir.write('origins.json', JSON.stringify(ORIGINS));
    const run = await runCli(['--origins', origins, '--endpoint', emulator.url], envWithoutSwitch({ EDGE_CANARY_ARCHIVE_ACCESS_KEY_ID: KEY.accessId, EDGE_CANARY_ARCHIVE_SECRET_ACCESS_KEY: KEY.secret }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain(WARNING);
  });

  it("the tests' S3 client prints none", async () => {
    const script = dir.write('make-client.ts', [
      `import { emulatorS3Client } from ${JSON.stringify(new URL('../support/s3-client.ts', import.meta.url).pathname)};`,
      `emulatorS3Client({ url: ${JSON.stringify(emulator.url)}, accessId: 'AKIAUNUSED000001', secret: 'unused-secret-000001' }).destroy();`,
      `console.log('client made');`,
    ].join('\n'));
    const run = await spawnScript(script, [], { env: envWithoutSwitch() }).done;
    expect(run.stdout).toContain('client made');
    expect(run.stderr).not.toContain(WARNING);
  });

  it('an operator who sets the switch otherwise still sees it', async () => {
    const origins = dir.write('origins-2.json', JSON.stringify(ORIGINS));
    const run = await runCli(['--origins', origins, '--endpoint', emulator.url], envWithoutSwitch({ [NODE_VERSION_WARNING_SWITCH]: 'false', EDGE_CANARY_ARCHIVE_ACCESS_KEY_ID: KEY.accessId, EDGE_CANARY_ARCHIVE_SECRET_ACCESS_KEY: KEY.secret }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(WARNING);
  });
});
