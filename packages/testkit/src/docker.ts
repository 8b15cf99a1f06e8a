import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a Docker engine may listen: DOCKER_HOST first, then the usual unix sockets. */
export function dockerTargets(
  env: NodeJS.ProcessEnv = process.env,
): ({ socketPath: string } | { host: string; port: number })[] {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost?.startsWith('unix://')) return [{ socketPath: dockerHost.slice('unix://'.length) }];
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return [{ host: url.hostname, port: Number(url.port || 2375) }];
  }
  const sockets = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : '',
    join(homedir(), '.docker', 'run', 'docker.sock'),
  ];
  return sockets.filter((s) => s && existsSync(s)).map((socketPath) => ({ socketPath }));
}

function ping(target: { socketPath: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: 1_500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

let cached: Promise<boolean> | undefined;

/**
 * True when a Docker engine answers `GET /_ping`. `TRIBUTARY_NO_DOCKER=1` forces false. Checked once per
 * process; without a socket nothing is tried and testcontainers is never loaded.
 */
export function dockerAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.TRIBUTARY_NO_DOCKER === '1' || env.TRIBUTARY_NO_DOCKER === 'true') return Promise.resolve(false);
  cached ??= (async () => {
    for (const target of dockerTargets(env)) if (await ping(target)) return true;
    return false;
  })();
  return cached;
}
