import { resolveCredentials } from '../src/credentials.js';

describe('resolveCredentials', () => {
  test('static keys with an optional session token', () => {
    expect(resolveCredentials({ accessKeyId: 'AKIA1', secretAccessKey: 's' })).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 's',
    });
    expect(resolveCredentials({ accessKeyId: 'AKIA1', secretAccessKey: 's', sessionToken: 't' })).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 's',
      sessionToken: 't',
    });
  });
  test('no keys: the default chain, which reads the environment', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'FROMENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'envsecret';
    try {
      const provider = resolveCredentials({});
      expect(typeof provider).toBe('function');
      const creds = await (provider as () => Promise<{ accessKeyId: string }>)();
      expect(creds.accessKeyId).toBe('FROMENV');
    } finally {
      process.env = saved;
    }
  });
  test('half a key pair is a config error that says what to do', () => {
    expect(() => resolveCredentials({ accessKeyId: 'AKIA1' })).toThrow(/both .* or neither/);
  });
  test('a malformed role ARN is rejected', () => {
    expect(() => resolveCredentials({ roleArn: 'my-role' })).toThrow(/IAM role ARN/);
    expect(typeof resolveCredentials({ roleArn: 'arn:aws:iam::123456789012:role/loader' })).toBe('function');
  });
});
