import type { Logger } from 'pino';
import type { z } from 'zod';
import type {
  AirbyteConnectionStatus,
  AirbyteRecordMessage,
  ConfiguredAirbyteCatalog,
  ConnectorSpecification,
  DestinationSyncMode,
} from '../models/index.js';
import type { StreamPlan } from '../refresh/index.js';
import type { PipelineOptions } from './options.js';

/** What every connector command receives besides its config. */
export interface ConnectorContext {
  readonly logger: Logger;
  /** Aborted on SIGTERM/SIGINT. */
  readonly signal: AbortSignal;
}

export interface WriteContext extends ConnectorContext {
  /** Epoch ms at which this sync started (the runner's clock). */
  readonly syncStartedAt: number;
}

/**
 * A destination implements only what is specific to its database: config, check, and a writer
 * that creates one loader per stream. The core does parsing, routing, batching, concurrency,
 * state release, stream status handling and error reporting.
 */
export interface Destination<C> {
  /** Folder/package name, e.g. `destination-cassandra`. */
  readonly name: string;
  readonly configSchema: z.ZodType<C>;
  readonly spec: ConnectorSpecification;
  check(config: C, ctx: ConnectorContext): Promise<AirbyteConnectionStatus>;
  open(config: C, catalog: ConfiguredAirbyteCatalog, ctx: WriteContext): Promise<DestinationWriter>;
}

export interface DestinationWriter {
  /** Batching and concurrency knobs for this destination; merged over the core defaults. */
  readonly pipelineOptions?: Partial<PipelineOptions>;
  /** Once, before any loader: connections, namespaces. */
  setup?(): Promise<void>;
  /** One loader per configured stream, created before the first record. */
  createStreamLoader(plan: StreamPlan): Promise<StreamLoader>;
  /** Once, at the end, success or not. Must not throw for cleanup problems it can log. */
  teardown?(outcome: { readonly success: boolean; readonly error?: unknown }): Promise<void>;
}

export type WriteOutcome = 'accepted' | 'rejected';

export interface StreamLoader {
  /**
   * Flushes of this stream in flight at once, overriding the writer's
   * `maxConcurrentFlushesPerStream` (1 keeps this stream's flushes strictly one after another,
   * e.g. for dedup that must see its previous batch committed).
   */
  readonly maxConcurrentFlushes?: number;
  /**
   * Takes one record into the loader's current batch (synchronously: convert it to the native
   * form and keep it). Returning 'rejected' means the record can never be written (for example
   * over the database's size limit); it is counted in `rejectedRecordCount` and the sync goes on.
   * `line` is the message's NDJSON line as received: `recordDataText(line)` gives the data's text
   * as the source wrote it (integers beyond 2^53 exact) for loaders that store data as JSON text.
   */
  write(record: AirbyteRecordMessage, byteLength: number, line: string): WriteOutcome | undefined;
  /**
   * Takes ownership, synchronously, of every record written since the previous flush and commits
   * them. The promise resolves only when they are durable; a rejection fails the sync. Several
   * flushes of one stream may be in flight when `maxConcurrentFlushesPerStream` allows it.
   */
  flush(): Promise<void>;
  /**
   * Called once after the stream reported COMPLETE and all its records were committed:
   * the place for destructive finalisation (removing older generations, swapping tables).
   */
  finalize?(): Promise<void>;
  /** Releases resources; called once at the end whatever happened. */
  close?(): Promise<void>;
}

export const SUPPORTED_MODES_ALL: DestinationSyncMode[] = ['append', 'overwrite', 'append_dedup'];
