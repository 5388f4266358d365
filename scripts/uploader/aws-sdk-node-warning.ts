/**
 * @aws-sdk/client-s3 warns once per process, when its first client is made, that its releases
 * after the first week of January 2027 will need Node 22 (aws/aws-sdk-js-v3#7983). The version in
 * package-lock.json runs on the Node 20 this project supports, so on every `npm run upload` and in
 * every test the warning is noise. The SDK's documented switch turns it off: the environment
 * variable below, read from process.env when a client is made. Set it to anything else to see it.
 */
export const NODE_VERSION_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Call before the first `new S3Client`; an operator's own value of the switch is kept. */
export function quietAwsSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[NODE_VERSION_WARNING_SWITCH] ??= 'true';
}
