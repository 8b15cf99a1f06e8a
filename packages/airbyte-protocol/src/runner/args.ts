import { ConfigError } from '../errors/index.js';

export type Command = 'spec' | 'check' | 'discover' | 'read' | 'write';

export interface ParsedArgs {
  readonly command: Command;
  readonly config?: string;
  readonly catalog?: string;
  readonly state?: string;
  readonly debug: boolean;
}

const COMMANDS: readonly Command[] = ['spec', 'check', 'discover', 'read', 'write'];
const NEEDS: Record<Command, readonly ('config' | 'catalog')[]> = {
  spec: [],
  check: ['config'],
  discover: ['config'],
  read: ['config', 'catalog'],
  write: ['config', 'catalog'],
};

export const USAGE = `usage:
  spec
  check --config <config.json>
  discover --config <config.json>
  read --config <config.json> --catalog <catalog.json> [--state <state.json>]
  write --config <config.json> --catalog <catalog.json>   (messages on stdin)`;

/** Parses the Airbyte Docker interface: `<command> [--config f] [--catalog f] [--state f] [--debug]`. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (!command || !COMMANDS.includes(command as Command)) {
    throw new ConfigError(`unknown command ${JSON.stringify(command ?? '')}\n${USAGE}`);
  }
  const flags: Record<string, string> = {};
  let debug = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--debug') {
      debug = true;
      continue;
    }
    const m = /^--(config|catalog|state)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = m[2] ?? rest[++i];
    if (value === undefined || value === '') throw new ConfigError(`--${m[1]} needs a file path\n${USAGE}`);
    flags[m[1]!] = value;
  }
  for (const needed of NEEDS[command as Command]) {
    if (!flags[needed]) throw new ConfigError(`${command} needs --${needed} <file>\n${USAGE}`);
  }
  return { command: command as Command, ...flags, debug };
}
