import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_REGION, DUMMY_ACCESS_KEY_ID, DUMMY_SECRET_ACCESS_KEY } from '../env.js';
import { launchServer, newInstance } from '../launch.js';
import { assetPath } from '../paths.js';
import { pickFreePort, pickFreePorts } from '../ports.js';
import { probeKinesis } from '../probes.js';
import type { AwsEndpoint, Server, StartOptions } from '../types.js';

export interface KinesisOptions extends StartOptions {
  /** Plain-HTTP port (the endpoint); picked free when omitted. The TLS port is always picked. */
  port?: number;
}

/** Folder of the installed kinesis-local package (kinesis-mock compiled to JavaScript). */
export function kinesisLocalDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('kinesis-local/package.json'));
}

/** Starts the kinesis-local emulator under this Node binary, bound to 127.0.0.1 only. */
export async function startKinesisProcess(opts: KinesisOptions = {}): Promise<Server<AwsEndpoint>> {
  const pkg = kinesisLocalDir();
  const instance = await newInstance('kinesis');
  const [plainPort, tlsPort] =
    opts.port !== undefined
      ? [opts.port, await pickFreePort()]
      : ((await pickFreePorts(2)) as [number, number]);
  if (plainPort === undefined || tlsPort === undefined) throw new Error('could not pick ports');
  const endpoint: AwsEndpoint = {
    endpoint: `http://127.0.0.1:${plainPort}`,
    region: DEFAULT_REGION,
    accessKeyId: DUMMY_ACCESS_KEY_ID,
    secretAccessKey: DUMMY_SECRET_ACCESS_KEY,
  };
  return launchServer({
    name: 'kinesis',
    instance,
    command: process.execPath,
    // The trailing marker is an ignored argument of main.js; it makes the process recognisable on /proc.
    args: ['-r', assetPath('kinesis-loopback.cjs'), join(pkg, 'main.js'), instance.marker],
    env: {
      ...process.env,
      // Default is server.json relative to the cwd, which does not exist there.
      KINESIS_MOCK_CERT_PATH: join(pkg, 'server.json'),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      AWS_REGION: DEFAULT_REGION,
      SHOULD_PERSIST_DATA: 'false',
      LOG_LEVEL: 'INFO',
    },
    ports: [plainPort, tlsPort],
    endpoint,
    probe: () => probeKinesis(endpoint),
    timeoutMs: opts.startTimeoutMs ?? 60_000,
    detached: !!opts.detached,
    graceMs: 5_000,
  });
}
