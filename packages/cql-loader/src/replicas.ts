import type cassandra from 'cassandra-driver';
import { parseSizeSetting } from './batching.js';

/** What decides whether a coordinator holds every row of a keyspace. */
export interface ReplicationView {
  /** The keyspace's replication class, e.g. `org.apache.cassandra.locator.SimpleStrategy`. */
  readonly strategy: string;
  readonly strategyOptions: Readonly<Record<string, string>>;
  /** Nodes in the whole cluster and in the local data centre. */
  readonly nodes: number;
  readonly localNodes: number;
  readonly localDataCenter: string;
}

/** "3" or "3/1" (transient replicas) → 3; unreadable → 0. */
function factorOf(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/**
 * True when every node the driver routes to (the local data centre) is a replica of every row, so
 * that a multi-partition unlogged batch is applied where it lands, with no extra hop: one node, or
 * a replication factor at least the node count.
 */
export function everyNodeHoldsEveryRow(view: ReplicationView): boolean {
  const cls = view.strategy.slice(view.strategy.lastIndexOf('.') + 1);
  if (cls === 'LocalStrategy' || cls === 'EverywhereStrategy') return true;
  if (cls === 'SimpleStrategy') {
    return view.nodes > 0 && factorOf(view.strategyOptions.replication_factor) >= view.nodes;
  }
  if (cls === 'NetworkTopologyStrategy') {
    return view.localNodes > 0 && factorOf(view.strategyOptions[view.localDataCenter]) >= view.localNodes;
  }
  return false;
}

/** The view of a keyspace from the driver's metadata (refreshed first); null when unknown. */
export async function replicationView(
  client: cassandra.Client,
  keyspace: string,
  localDataCenter: string,
): Promise<ReplicationView | null> {
  await client.metadata.refreshKeyspace(keyspace);
  const ks = client.metadata.keyspaces[keyspace] as
    | { strategy?: string; strategyOptions?: Record<string, string> }
    | undefined;
  if (!ks?.strategy) return null;
  const hosts = client.hosts.values();
  return {
    strategy: ks.strategy,
    strategyOptions: ks.strategyOptions ?? {},
    nodes: hosts.length,
    localNodes: hosts.filter((h) => h.datacenter === localDataCenter).length,
    localDataCenter,
  };
}

/**
 * The server's batch size warning threshold in bytes: Cassandra 4+ shows it in
 * `system_views.settings`, Scylla in `system.config`. Null when neither answers (older servers,
 * missing permissions): the caller then assumes Cassandra's default.
 */
export async function batchWarnThresholdBytes(client: cassandra.Client): Promise<number | null> {
  const sources = [
    {
      query:
        "SELECT name, value FROM system_views.settings WHERE name IN ('batch_size_warn_threshold', 'batch_size_warn_threshold_in_kb')",
      // Cassandra 4.1+ gives units ("5KiB"); 4.0 only the number of KiB.
      read: (name: string, value: string) => parseSizeSetting(value, name.endsWith('_in_kb') ? 'KiB' : 'B'),
    },
    {
      query: "SELECT name, value FROM system.config WHERE name = 'batch_size_warn_threshold_in_kb'",
      read: (_name: string, value: string) => parseSizeSetting(value, 'KiB'),
    },
  ];
  for (const source of sources) {
    try {
      const rs = await client.execute(source.query);
      for (const row of rs.rows) {
        const bytes = source.read(String(row.get('name')), String(row.get('value')));
        if (bytes !== null && bytes > 0) return bytes;
      }
    } catch {
      // Not this kind of server (or not allowed to read it): try the next source.
    }
  }
  return null;
}
