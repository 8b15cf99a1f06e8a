import { parseConfiguredCatalog, parseState, catalogMessage } from '../models/index.js';
import type { ProcessIo } from '../runner/process-io.js';
import { processIo } from '../runner/process-io.js';
import { readJsonFile } from '../runner/read-json-file.js';
import { runConnector } from '../runner/run-connector.js';
import { SourceEmitter, type EmitterOptions } from './emitter.js';
import type { Source } from './source.js';

/** Runs a source as a command line program (`spec`, `check`, `discover`, `read`). */
export function runSource<C>(
  source: Source<C>,
  io: ProcessIo = processIo(),
  emitterOptions?: EmitterOptions,
): Promise<number> {
  return runConnector(
    source,
    {
      async discover(_args, config, session) {
        const ctx = { logger: session.logger, signal: session.abort.signal };
        session.output.write(catalogMessage(await source.discover(config, ctx)));
      },
      async read(args, config, session) {
        const catalog = parseConfiguredCatalog(await readJsonFile(args.catalog!, 'catalog'));
        const state = args.state ? parseState(await readJsonFile(args.state, 'state')) : [];
        const emitter = new SourceEmitter(session.output, emitterOptions);
        const ctx = { logger: session.logger, signal: session.abort.signal };
        await source.read(config, catalog, state, emitter, ctx);
        await emitter.flush();
      },
    },
    io,
  );
}

export async function mainSource<C>(source: Source<C>): Promise<void> {
  process.exit(await runSource(source));
}
