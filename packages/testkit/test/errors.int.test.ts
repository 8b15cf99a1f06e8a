import { createServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { PortInUseError, ServerStartError, ToolchainError } from '../src/errors.js';
import { pickFreePort } from '../src/ports.js';
import { listEntries } from '../src/registry.js';
import { startCassandra, startDynamoDb, startKafka, startKinesis } from '../src/start.js';
import { removeTempDirs, tempDir } from './helpers.js';

function occupy(port: number): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('a port clash is reported clearly', () => {
  test.each([
    ['dynamodb', (port: number) => startDynamoDb({ source: 'process', port })],
    ['kinesis', (port: number) => startKinesis({ source: 'process', port })],
    ['kafka', (port: number) => startKafka({ source: 'process', port })],
  ])('%s on a taken port', async (_name, start) => {
    const port = await pickFreePort();
    const squatter = await occupy(port);
    try {
      const err = await start(port).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).port).toBe(port);
      expect((err as Error).message).toBe(
        `port ${port} on 127.0.0.1 is already in use: another process listens on it; pick another port or stop that process`,
      );
    } finally {
      squatter.close();
    }
  });
});

describe('a missing or wrong JDK is reported clearly', () => {
  const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
  const empty = tempDir('no-java-');

  afterAll(removeTempDirs);
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.JAVA_HOME === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = saved.JAVA_HOME;
  });

  test('no java on PATH and no JAVA_HOME', async () => {
    process.env.PATH = empty;
    delete process.env.JAVA_HOME;
    for (const start of [
      () => startCassandra({ source: 'process' }),
      () => startDynamoDb({ source: 'process' }),
    ]) {
      const err = await start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ToolchainError);
      expect((err as Error).message).toMatch(
        /^Java was not found \(no JAVA_HOME and no java on PATH\): install a JDK 17 or newer \(Debian\/Ubuntu: apt-get install openjdk-17-jdk-headless/,
      );
    }
  });

  test('JAVA_HOME without bin/java', async () => {
    process.env.JAVA_HOME = empty;
    await expect(startKafka({ source: 'process' })).rejects.toThrow(
      new RegExp(`JAVA_HOME is set to ${empty} but ${empty}/bin/java does not exist`),
    );
  });
});

describe('a server that does not come up reports its log tail', () => {
  test('early exit: the JVM refuses its options', async () => {
    const err = await startDynamoDb({ source: 'process', heap: 'banana' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerStartError);
    const message = (err as Error).message;
    expect(message).toMatch(/^dynamodb exited \(code 1\) before it was ready \[log: .*\/logs\/server\.log\]/);
    expect(message).toContain('--- last lines of ');
    expect(message).toContain('Invalid initial heap size: -Xmsbanana');
  });

  test('timeout: not ready within the deadline; the process is stopped', async () => {
    const err = await startKinesis({ source: 'process', startTimeoutMs: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerStartError);
    expect((err as Error).message).toMatch(/^kinesis did not become ready within 0 s \[log: /);
    expect(listEntries().filter((e) => e.name === 'kinesis' && e.ownerPid === process.pid)).toEqual([]);
  });
});
