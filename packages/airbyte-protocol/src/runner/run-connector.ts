import { classifyError, ConfigError, errorMessage } from '../errors/index.js';
import type { ConnectorSpecification } from '../models/index.js';
import { connectionStatusMessage, specMessage } from '../models/index.js';
import type { ConnectorContext } from '../pipeline/destination.js';
import { validateConfig } from '../spec/index.js';
import type { z } from 'zod';
import { type Command, parseArgs, type ParsedArgs } from './args.js';
import { type ProcessIo, processIo, signalExitCode } from './process-io.js';
import { readJsonFile } from './read-json-file.js';
import { RunSession } from './session.js';
import type { AirbyteConnectionStatus } from '../models/index.js';

/** What the runner needs of any connector, source or destination. */
export interface ConnectorBase<C> {
  readonly name: string;
  readonly configSchema: z.ZodType<C>;
  readonly spec: ConnectorSpecification;
  check(config: C, ctx: ConnectorContext): Promise<AirbyteConnectionStatus>;
}

export type CommandHandler<C> = (args: ParsedArgs, config: C, session: RunSession) => Promise<void>;

/**
 * Runs one command of the Airbyte Docker interface and returns the exit code.
 * spec and check are common; `handlers` supplies the rest (write for destinations; discover/read for sources).
 */
export async function runConnector<C>(
  connector: ConnectorBase<C>,
  handlers: Partial<Record<Command, CommandHandler<C>>>,
  io: ProcessIo = processIo(),
): Promise<number> {
  const session = new RunSession(io);
  let code = 0;
  try {
    const args = parseArgs(io.argv);
    if (args.command === 'spec') {
      session.output.write(specMessage(connector.spec));
    } else {
      const raw = await readJsonFile(args.config!, 'config');
      // Learn secrets from the raw config first: a validation message must not echo them either.
      session.learnSecrets(connector.configSchema, raw);
      if (args.command === 'check') {
        await runCheck(connector, raw, session);
      } else {
        const handler = handlers[args.command];
        if (!handler) throw new ConfigError(`${connector.name} does not support the ${args.command} command`);
        const config = validateConfig(connector.configSchema, raw, { connector: connector.name });
        await handler(args, config, session);
      }
    }
  } catch (err) {
    session.reportError(err);
    code = 1;
  }
  // An interrupted run never reports success, even when the handler returned normally.
  if (session.receivedSignal) code = signalExitCode(session.receivedSignal);
  await session.close();
  return code;
}

async function runCheck<C>(connector: ConnectorBase<C>, raw: unknown, session: RunSession): Promise<void> {
  const ctx = { logger: session.logger, signal: session.abort.signal };
  let status: AirbyteConnectionStatus;
  try {
    const config = validateConfig(connector.configSchema, raw, { connector: connector.name });
    status = await connector.check(config, ctx);
  } catch (err) {
    // A failed check is an answer, not a crash: say what to fix. Bugs also leave a TRACE.
    if (classifyError(err) === 'system_error') session.reportError(err);
    status = { status: 'FAILED', message: session.redactText(errorMessage(err)) };
  }
  if (status.message) status = { ...status, message: session.redactText(status.message) };
  session.output.write(connectionStatusMessage(status.status, status.message));
}
