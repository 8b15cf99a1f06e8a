import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of everything testkit keeps on disk: resolved classpaths, the registry of running servers and
 * the instance directories. `TRIBUTARY_CACHE_DIR` overrides it (CI caches, tests with a clean slate).
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TRIBUTARY_CACHE_DIR;
  if (explicit) return explicit;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg || join(homedir(), '.cache'), 'tributary');
}

/**
 * Root of the runtime state (registry + instance directories). Defaults to the cache root;
 * `TRIBUTARY_RUN_DIR` separates it, e.g. to run an isolated `servers up/down` while sharing the jar cache.
 */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRIBUTARY_RUN_DIR || cacheRoot(env);
}

/** Registry of started servers: one JSON file per server. */
export function runDir(): string {
  return join(stateRoot(), 'run');
}

/** Per-server instance directories (conf/, data/, logs/). */
export function instancesDir(): string {
  return join(stateRoot(), 'instances');
}

/** Package root of testkit (works from src/ under swc and from dist/). */
export function packageRoot(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/** Files shipped with testkit that are not TypeScript (the Java wrapper, the loopback preload). */
export function assetPath(name: string): string {
  return join(packageRoot(), 'assets', name);
}
