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
  config(endpoint: EndpointOf[N]): Record<string, unknown>;
  /** Rows per stream read back from the server after the sync, keyed by stream name. */
  readBack(endpoint: EndpointOf[N], streams: readonly string[]): Promise<TableCount[]>;
}
