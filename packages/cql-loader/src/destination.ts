import type {
  AirbyteConnectionStatus,
  ConfiguredAirbyteCatalog,
  ConnectorContext,
  ConnectorSpecification,
  Destination,
  DestinationWriter,
  WriteContext,
} from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';
import type { z } from 'zod';
import { checkCql } from './check.js';
import type { CqlConfig } from './config.js';
import { CqlWriter, type CqlWriterOptions } from './writer.js';

export interface CqlDestinationOptions<C extends CqlConfig> {
  /** Package folder name, e.g. `destination-cassandra`. */
  readonly name: string;
  /** "Cassandra" or "Scylla", for messages. */
  readonly product: string;
  readonly configSchema: z.ZodType<C>;
  readonly spec: ConnectorSpecification;
  /** Driver options specific to the product, from the config. */
  readonly driverOptions?: (config: C) => Partial<cassandra.ClientOptions>;
  readonly writerOptions?: Omit<CqlWriterOptions, 'driverOptions' | 'product'>;
}

/** A complete Airbyte destination over CQL; each product package only supplies config, spec and defaults. */
export function createCqlDestination<C extends CqlConfig>(opts: CqlDestinationOptions<C>): Destination<C> {
  return {
    name: opts.name,
    configSchema: opts.configSchema,
    spec: opts.spec,
    check(config: C, ctx: ConnectorContext): Promise<AirbyteConnectionStatus> {
      return checkCql(config, ctx, opts.driverOptions?.(config));
    },
    async open(config: C, catalog: ConfiguredAirbyteCatalog, ctx: WriteContext): Promise<DestinationWriter> {
      const driverOptions = opts.driverOptions?.(config);
      return new CqlWriter(config, catalog, ctx, {
        ...opts.writerOptions,
        product: opts.product,
        ...(driverOptions ? { driverOptions } : {}),
      });
    },
  };
}
