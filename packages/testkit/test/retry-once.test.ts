import { ServerStartError, ToolchainError } from '../src/errors.js';
import { retryOnce } from '../src/start.js';

describe('retryOnce (local server starts)', () => {
  it('a start that failed once (a server that died or missed readiness) is tried again', async () => {
    let calls = 0;
    const start = async () => {
      calls++;
      if (calls === 1) throw new ServerStartError('kafka storage format failed (exit 1)');
      return 'up';
    };
    await expect(retryOnce('kafka', start)).resolves.toBe('up');
    expect(calls).toBe(2);
  });

  it('a missing toolchain is not retried; a second failure is the answer', async () => {
    let calls = 0;
    await expect(
      retryOnce('cassandra', async () => {
        calls++;
        throw new ToolchainError('Java was not found');
      }),
    ).rejects.toThrow('Java was not found');
    expect(calls).toBe(1);
    await expect(
      retryOnce('dynamodb', async () => {
        throw new ServerStartError('exited before it was ready');
      }),
    ).rejects.toThrow('exited before it was ready');
  });
});
