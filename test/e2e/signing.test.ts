/** All three signing modes, in both URL styles, verified by the emulator's independent verifier. */
import { expect, it } from 'vitest';
import { describeOnRuntimes } from '../support/runtimes';
import { getHealth, objectReads, useRepairedTestStack } from '../support/stack';

const MODES = [
  { signing: 'goog4', auth: 'goog4' },
  { signing: 'aws4', auth: 'aws4' },
  { signing: 'v2', auth: 'v2-aws' },
] as const;
const STYLES = ['path', 'virtual'] as const;
const CASES = MODES.flatMap((mode) => STYLES.map((urlStyle) => ({ ...mode, urlStyle })));

function expectedHost(urlStyle: (typeof STYLES)[number], bucket: string): string {
  return urlStyle === 'virtual' ? `${bucket}.storage.googleapis.com` : 'storage.googleapis.com';
}

describeOnRuntimes('signing modes against the emulator', (runtime) => {
  const stack = useRepairedTestStack(runtime);

  it.each(CASES)('$signing, $urlStyle style → 200 pass', async ({ signing, auth, urlStyle }) => {
    const canary = await stack().startCanary({ signing, url_style: urlStyle });
    const answer = await getHealth(canary.url);

    expect([answer.httpStatus, answer.body.status, answer.body.reason]).toEqual([200, 'pass', 'ok']);
    expect(objectReads(stack())).toEqual([
      expect.objectContaining({ auth, host: expectedHost(urlStyle, stack().bucket), bucket: stack().bucket, object: stack().object, verdict: 'ok' }),
    ]);
  });

  it.each(CASES)('$signing, $urlStyle style with the key rotated → 503 auth_failed SignatureDoesNotMatch', async ({ signing, urlStyle }) => {
    const canary = await stack().startCanary({ signing, url_style: urlStyle });
    stack().emulator.rotateKey(stack().accessId ?? '');
    const answer = await getHealth(canary.url);

    expect([answer.httpStatus, answer.body.reason, answer.origin.errorCode]).toEqual([503, 'auth_failed', 'SignatureDoesNotMatch']);
  });
});
