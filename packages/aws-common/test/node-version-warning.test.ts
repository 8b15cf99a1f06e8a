import { silenceSdkNodeVersionWarning } from '../src/index.js';

describe('silenceSdkNodeVersionWarning', () => {
  it("sets the SDK's switch, and leaves an explicit setting alone", () => {
    const env: NodeJS.ProcessEnv = {};
    silenceSdkNodeVersionWarning(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const explicit: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    silenceSdkNodeVersionWarning(explicit);
    expect(explicit.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});
