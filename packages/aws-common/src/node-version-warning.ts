/**
 * The AWS SDK warns on stderr, once per process, that its releases after January 2027 need
 * Node 22. Tributary pins a release that supports Node 20, so in a sync log the warning is noise.
 * This sets the SDK's own switch for it (an explicit setting of the variable is left alone); call
 * it before the first client is built.
 */
export function silenceSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
