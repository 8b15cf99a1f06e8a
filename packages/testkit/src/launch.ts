import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerStartError, errorMessage } from './errors.js';
import { tailFile } from './log-tail.js';
import { instancesDir } from './paths.js';
import { assertPortFree, findBindFailure } from './ports.js';
import { stopProcessGroup } from './process-tree.js';
import {
  type RegistryEntry,
  isOurServerRunning,
  markerFor,
  pruneInstances,
  reapOrphans,
  removeEntry,
  removeInstanceData,
  writeEntry,
} from './registry.js';
import type { EndpointOf, Server, ServerName } from './types.js';

/** A fresh instance: unique id, its directory (conf/, data/, logs/) and the command-line marker. */
export interface Instance {
  id: string;
  dir: string;
  confDir: string;
  dataDir: string;
  logFile: string;
  marker: string;
}

export async function newInstance(name: ServerName, variant?: string): Promise<Instance> {
  const id = `${name}${variant ? `-${variant}` : ''}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const dir = join(instancesDir(), id);
  const inst = {
    id,
    dir,
    confDir: join(dir, 'conf'),
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'logs', 'server.log'),
    marker: markerFor(id),
  };
  await Promise.all(
    [inst.confDir, inst.dataDir, join(dir, 'logs')].map((d) => mkdir(d, { recursive: true })),
  );
  return inst;
}

export interface LaunchSpec<N extends ServerName> {
  name: N;
  variant?: string;
  instance: Instance;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Every port the server binds; checked before start and used to explain a bind failure. */
  ports: number[];
  endpoint: EndpointOf[N];
  /** One readiness attempt on the real protocol: resolves true when ready. Errors count as "not yet". */
  probe: () => Promise<boolean>;
  timeoutMs: number;
  /** Keep running after this Node process exits (`servers up`). */
  detached: boolean;
  /** Grace period between SIGTERM and SIGKILL on stop. */
  graceMs?: number;
  /** Runs once the probe passed (e.g. create a user); may refine the endpoint. */
  afterReady?: () => Promise<EndpointOf[N] | undefined>;
}

/** Servers of this process that must not outlive it (see the exit hook below). */
const ownedPids = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a test run that ends without teardown: kill what we own. A SIGKILLed owner cannot
  // run this; the next start reaps those orphans through the registry instead.
  process.on('exit', () => {
    for (const pid of ownedPids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

let reapedThisProcess = false;

/**
 * Starts a server process in its own process group, logs to its instance directory, registers it, waits
 * for readiness on the real protocol and returns a handle whose stop() ends exactly that group.
 */
export async function launchServer<N extends ServerName>(
  spec: LaunchSpec<N>,
): Promise<Server<EndpointOf[N]>> {
  if (!reapedThisProcess) {
    reapedThisProcess = true;
    await reapOrphans();
    await pruneInstances();
  }
  const { instance, name } = spec;
  for (const port of spec.ports) await assertPortFree(port);

  const logFd = openSync(instance.logFile, 'a');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: instance.dir,
      env: spec.env ?? process.env,
      // detached => setsid(): the server leads its own process group, so stop() can signal the whole
      // group and a Ctrl-C in the terminal does not hit it.
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  if (pid === undefined) {
    throw new ServerStartError(
      `could not start ${name} (${spec.command}): ${errorMessage(await spawnError)}`,
    );
  }
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    ownedPids.delete(pid);
  });
  // The handle must not keep the event loop alive: a forgotten server should not hang the test runner.
  child.unref();
  if (!spec.detached) {
    installExitHook();
    ownedPids.add(pid);
  }

  let endpoint = spec.endpoint;
  const entry: RegistryEntry<N> = {
    id: instance.id,
    name,
    ...(spec.variant ? { variant: spec.variant } : {}),
    pid,
    ownerPid: spec.detached ? null : process.pid,
    endpoint,
    dir: instance.dir,
    logFile: instance.logFile,
    ports: spec.ports,
    startedAt: new Date().toISOString(),
    marker: instance.marker,
  };
  await writeEntry(entry);

  const fail = async (why: string): Promise<never> => {
    if (!exit) await stopProcessGroup(pid, 2_000).catch(() => undefined);
    ownedPids.delete(pid);
    await removeEntry(instance.id);
    await removeInstanceData(instance.dir);
    const tail = tailFile(instance.logFile, 40);
    const clash = findBindFailure(tail, spec.ports);
    const message = clash
      ? `${name} could not bind ${clash.port !== undefined ? `port ${clash.port}` : `one of its ports (${spec.ports.join(', ')})`} on 127.0.0.1: port clash with another process (${clash.line})`
      : why;
    throw new ServerStartError(`${message} [log: ${instance.logFile}]`, instance.logFile, tail);
  };

  const started = Date.now();
  const deadline = started + spec.timeoutMs;
  for (;;) {
    if (exit) {
      await fail(`${name} exited (${exit.signal ?? `code ${exit.code}`}) before it was ready`);
    }
    if (Date.now() > deadline) {
      await fail(`${name} did not become ready within ${Math.round(spec.timeoutMs / 1000)} s`);
    }
    let ready = false;
    try {
      ready = await spec.probe();
    } catch {
      ready = false;
    }
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (spec.afterReady) {
    try {
      endpoint = (await spec.afterReady()) ?? endpoint;
    } catch (err) {
      await fail(`${name} started but its setup failed: ${errorMessage(err)}`);
    }
    if (endpoint !== spec.endpoint) await writeEntry({ ...entry, endpoint });
  }

  let stopped: Promise<void> | undefined;
  return {
    name,
    endpoint,
    source: 'process',
    pid,
    logFile: instance.logFile,
    dir: instance.dir,
    stop() {
      stopped ??= (async () => {
        // Once it has exited on its own, its pid is not ours any more: signal nothing.
        if (!exit && isOurServerRunning(entry)) await stopProcessGroup(pid, spec.graceMs ?? 10_000);
        ownedPids.delete(pid);
        await removeEntry(instance.id);
        await removeInstanceData(instance.dir);
      })();
      return stopped;
    },
  };
}

/** Stops a server known only from the registry (another process started it). */
export async function stopRegistered(entry: RegistryEntry, graceMs = 10_000): Promise<void> {
  // Only a live process that still carries the entry's marker is ours to signal.
  if (isOurServerRunning(entry)) await stopProcessGroup(entry.pid, graceMs);
  await removeEntry(entry.id);
  await removeInstanceData(entry.dir);
}
