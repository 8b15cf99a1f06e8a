import type { EndpointOf, ServerName } from '@tributary/testkit';

export interface TableCount {
  readonly table: string;
  readonly rows: number;
}

/** What the main job needs to know to run one destination and read its output back. */
export interface DestinationAdapter<N extends ServerName = ServerName> {
  /** Package folder under packages/, also the bin name. */
  readonly packageDir: string;
  readonly server: N;
  /** Destination sync modes it supports. */
  readonly modes: readonly string[];
  /** `tag` makes the run's keyspace/table/stream names unique, so runs never mix rows. */
  config(endpoint: EndpointOf[N], tag: string): Record<string, unknown>;
  /** Rows per stream read back from the server after the sync. */
  readBack(endpoint: EndpointOf[N], streams: readonly string[], tag: string): Promise<TableCount[]>;
}
