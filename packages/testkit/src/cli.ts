#!/usr/bin/env node
import { envForEndpoint, exportLines } from './env.js';
import { errorMessage } from './errors.js';
import { stopRegistered } from './launch.js';
import { type RegistryEntry, isOurServerRunning, listEntries, reapOrphans } from './registry.js';
import { provisionServer } from './provision-server.js';
import { startServer } from './start.js';
import { SERVER_NAMES, type ServerName } from './types.js';

// The pinned AWS SDK warns on every run that future versions will need Node 22; the versions are pinned
// for Node 20 on purpose, so the warning only hides the endpoints this command prints.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: pnpm servers <up|down|status|env|provision> [${SERVER_NAMES.join('|')} ...]

  up      start the named servers (default: all) as local processes that outlive this command,
          print their endpoints as shell exports on stdout and a table on stderr:
            eval "$(pnpm -s servers up)"
  down    stop servers started by 'up' (default: all of them)
  status  list registered servers with liveness
  env     print the exports for servers already started by 'up'
  provision  download/compile what the servers need without starting them (CI warm-up)`;

/** A registry entry of a plain server started by `up` (not a test's own, not a Cassandra variant). */
function isUpServer(e: RegistryEntry): boolean {
  return e.ownerPid === null && e.variant === undefined;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describeEndpoint(e: RegistryEntry): string {
  return Object.entries(envForEndpoint(e.name, e.endpoint))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function printTable(entries: RegistryEntry[]): void {
  const rows = [['NAME', 'STATE', 'PID', 'OWNER', 'STARTED', 'ENDPOINT', 'LOG']];
  for (const e of entries) {
    rows.push([
      e.name + (e.variant ? `(${e.variant})` : ''),
      isOurServerRunning(e) ? 'running' : 'dead',
      String(e.pid),
      e.ownerPid === null ? 'servers up' : `pid ${e.ownerPid}`,
      e.startedAt.replace('T', ' ').slice(0, 19),
      describeEndpoint(e),
      e.logFile,
    ]);
  }
  process.stderr.write(`${entries.length ? table(rows) : 'no servers registered'}\n`);
}

function parseNames(args: string[]): ServerName[] {
  for (const a of args) {
    if (!SERVER_NAMES.includes(a as ServerName)) throw new Error(`unknown server "${a}"\n${USAGE}`);
  }
  return args.length ? [...new Set(args as ServerName[])] : [...SERVER_NAMES];
}

async function up(names: ServerName[]): Promise<void> {
  await reapOrphans();
  const entries: RegistryEntry[] = [];
  for (const name of names) {
    const running = listEntries().find((e) => e.name === name && isUpServer(e) && isOurServerRunning(e));
    if (running) {
      process.stderr.write(`${name}: already running (pid ${running.pid})\n`);
      entries.push(running);
      continue;
    }
    const t0 = Date.now();
    process.stderr.write(`${name}: starting…\n`);
    const server = await startServer(name, { source: 'process', detached: true });
    process.stderr.write(
      `${name}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${server.pid})\n`,
    );
    const entry = listEntries().find((e) => e.pid === server.pid);
    if (entry) entries.push(entry);
  }
  process.stdout.write(
    `${exportLines(Object.assign({}, ...entries.map((e) => envForEndpoint(e.name, e.endpoint))))}\n`,
  );
  printTable(entries);
}

async function down(names: ServerName[]): Promise<void> {
  await reapOrphans();
  const targets = listEntries().filter((e) => names.includes(e.name) && e.ownerPid === null);
  if (targets.length === 0) process.stderr.write('nothing to stop\n');
  await Promise.all(
    targets.map(async (e) => {
      await stopRegistered(e);
      process.stderr.write(`${e.name}: stopped (pid ${e.pid})\n`);
    }),
  );
}

async function status(names: ServerName[]): Promise<void> {
  const reaped = await reapOrphans();
  for (const r of reaped)
    process.stderr.write(
      `${r.entry.name}: ${r.action === 'kill' ? 'killed orphan' : 'forgot dead'} pid ${r.entry.pid}\n`,
    );
  printTable(listEntries().filter((e) => names.includes(e.name)));
}

function env(names: ServerName[]): void {
  const live = listEntries().filter((e) => names.includes(e.name) && isUpServer(e) && isOurServerRunning(e));
  process.stdout.write(
    `${exportLines(Object.assign({}, ...live.map((e) => envForEndpoint(e.name, e.endpoint))))}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(parseNames(rest));
    case 'down':
      return down(parseNames(rest));
    case 'status':
      return status(parseNames(rest));
    case 'env':
      return env(parseNames(rest));
    case 'provision':
      for (const name of parseNames(rest)) {
        const p = await provisionServer(name);
        process.stderr.write(
          `${name}: ${p.cached ? 'cached' : 'provisioned'} in ${p.durationMs} ms (${p.location})\n`,
        );
      }
      return;
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`servers: ${errorMessage(err)}\n`);
  process.exitCode = 1;
});
