import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_REGION, DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY } from '../env.js';
import { ServerStartError } from '../errors.js';
import { launchServer, newInstance } from '../launch.js';
import { withFileLock } from '../lock.js';
import { tailFile } from '../log-tail.js';
import { assetPath } from '../paths.js';
import { pickFreePort } from '../ports.js';
import { probeDynamoDb } from '../probes.js';
import { provisionClasspath, runLogged, serverCacheDir } from '../provision.js';
import { type JavaInfo, findJava, jdkTool } from '../toolchain.js';
import type { AwsEndpoint, Server, StartOptions } from '../types.js';
import { DYNAMODB_CLASSPATH } from '../versions.js';
import { commonJvmFlags, libClasspath } from './java-flags.js';

export interface DynamoDbOptions extends StartOptions {
  port?: number;
  heap?: string;
}

const WRAPPER_CLASS = 'LoopbackDynamoDbLocal';

/**
 * Compiles the loopback wrapper (assets/LoopbackDynamoDbLocal.java) into the cache once per source
 * version; later starts reuse the class file.
 */
export async function compileLoopbackWrapper(java: JavaInfo): Promise<{ classDir: string; cached: boolean }> {
  const source = assetPath(`${WRAPPER_CLASS}.java`);
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const base = serverCacheDir(DYNAMODB_CLASSPATH.key);
  const classDir = join(base, `wrapper-${hash}`);
  const classFile = join(classDir, `${WRAPPER_CLASS}.class`);
  if (existsSync(classFile)) return { classDir, cached: true };
  const javac = jdkTool(java, 'javac');
  await mkdir(base, { recursive: true });
  return withFileLock(`${classDir}.lock`, async () => {
    if (existsSync(classFile)) return { classDir, cached: true };
    const staging = `${classDir}.staging-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    const log = join(base, 'javac.log');
    const code = await runLogged(javac, ['-d', staging, source], log);
    if (code !== 0) throw new ServerStartError(`javac failed on ${source}`, log, tailFile(log, 40));
    await rm(classDir, { recursive: true, force: true });
    await rename(staging, classDir);
    return { classDir, cached: false };
  });
}

/** Starts DynamoDB Local (in memory, shared DB, no telemetry) bound to 127.0.0.1 only. */
export async function startDynamoDbProcess(opts: DynamoDbOptions = {}): Promise<Server<AwsEndpoint>> {
  const java = findJava();
  const { libDir } = await provisionClasspath(DYNAMODB_CLASSPATH);
  const { classDir } = await compileLoopbackWrapper(java);
  const instance = await newInstance('dynamodb');
  const port = opts.port ?? (await pickFreePort());
  const heap = opts.heap ?? '512m';
  const endpoint: AwsEndpoint = {
    endpoint: `http://127.0.0.1:${port}`,
    region: DEFAULT_REGION,
    accessKeyId: DUMMY_ACCESS_KEY_ID,
    secretAccessKey: DUMMY_SECRET_ACCESS_KEY,
  };
  return launchServer({
    name: 'dynamodb',
    instance,
    command: java.java,
    args: [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      ...commonJvmFlags(instance),
      '-cp',
      `${classDir}:${libClasspath(libDir)}`,
      WRAPPER_CLASS,
      // -inMemory needs -sharedDb (else one DB per access key/region); telemetry would try the network.
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    ports: [port],
    endpoint,
    probe: () => probeDynamoDb(endpoint),
    timeoutMs: opts.startTimeoutMs ?? 60_000,
    detached: !!opts.detached,
    graceMs: 5_000,
  });
}
