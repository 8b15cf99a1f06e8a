import type { Destination } from '../pipeline/destination.js';
import { runWritePipeline } from '../pipeline/write-pipeline.js';
import { ConfigError } from '../errors/index.js';
import { parseConfiguredCatalog } from '../models/index.js';
import type { ProcessIo } from './process-io.js';
import { processIo } from './process-io.js';
import { readJsonFile } from './read-json-file.js';
import { runConnector } from './run-connector.js';

/**
 * Runs a destination as a command line program (`spec`, `check`, `write`) and returns the exit code.
 * `write` streams stdin through the core pipeline and releases states only after commit.
 */
export function runDestination<C>(destination: Destination<C>, io: ProcessIo = processIo()): Promise<number> {
  return runConnector(
    destination,
    {
      async write(args, config, session) {
        const catalog = parseConfiguredCatalog(await readJsonFile(args.catalog!, 'catalog'));
        if (catalog.streams.length === 0) throw new ConfigError('the configured catalog has no streams');
        const syncStartedAt = Date.now();
        const ctx = { logger: session.logger, signal: session.abort.signal, syncStartedAt };
        const writer = await destination.open(config, catalog, ctx);
        const summary = await runWritePipeline({
          input: io.stdin,
          output: session.output,
          writer,
          catalog,
          logger: session.logger,
          signal: session.abort.signal,
          syncStartedAt,
        });
        const seconds = (Date.now() - syncStartedAt) / 1000;
        session.logger.info(
          `sync done: ${summary.records} records written, ${summary.rejected} rejected, ` +
            `${summary.statesReleased}/${summary.statesReceived} states released, ` +
            `${summary.malformedLines + summary.invalidMessages} bad lines ignored, ${seconds.toFixed(1)} s`,
        );
      },
    },
    io,
  );
}

/** Entry point for a destination's bin: runs and exits with the right code. */
export async function mainDestination<C>(destination: Destination<C>): Promise<void> {
  const code = await runDestination(destination);
  // Drivers may hold sockets open; everything is flushed by now, so leave explicitly.
  process.exit(code);
}
