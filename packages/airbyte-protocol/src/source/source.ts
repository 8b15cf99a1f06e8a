import type { AirbyteCatalog, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../models/index.js';
import type { ConnectorContext } from '../pipeline/destination.js';
import type { ConnectorBase } from '../runner/run-connector.js';
import type { SourceEmitter } from './emitter.js';

/** A source implements discover and read; the core runs the command line and the output. */
export interface Source<C> extends ConnectorBase<C> {
  discover(config: C, ctx: ConnectorContext): Promise<AirbyteCatalog>;
  /**
   * Emits records, states and traces through `emitter` until done or `ctx.signal` aborts.
   * `state` holds the messages of the `--state` file (empty on a first sync).
   */
  read(
    config: C,
    catalog: ConfiguredAirbyteCatalog,
    state: AirbyteStateMessage[],
    emitter: SourceEmitter,
    ctx: ConnectorContext,
  ): Promise<void>;
}
