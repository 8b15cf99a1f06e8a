import type cassandra from 'cassandra-driver';
import { quoteIdent } from './errors.js';
import type { SystemKeyspaces } from './schema.js';

/** Streams read together: one vnode's streams (vnode keyspaces) or one tablet stream. */
export interface StreamGroup {
  readonly id: string;
  readonly streams: readonly Buffer[];
}

/**
 * Where a table's stream sets come from. Vnode keyspaces share cluster-wide generations
 * (`cdc_generation_timestamps` + `cdc_streams_descriptions_v2`); tablets keyspaces have a stream
 * set per table that changes on splits and merges (`cdc_timestamps` + `cdc_streams`).
 */
export interface GenerationSource {
  readonly kind: 'vnodes' | 'tablets';
  /** Start times (ms) of all known generations / stream sets, ascending. */
  timestamps(): Promise<number[]>;
  /** The stream groups of the generation starting at `startMs`. */
  groups(startMs: number): Promise<StreamGroup[]>;
}

/** Java's `StreamId.getVNodeId`: bits 4..25 of the low 64 bits, for version-1 ids. */
export function vnodeIndexOf(stream: Buffer): number | undefined {
  if (stream.length !== 16 || (stream[15]! & 0x0f) !== 1) return undefined;
  const low32 = stream.readUInt32BE(12);
  return (low32 >>> 4) & 0x3fffff;
}

export class VnodeGenerations implements GenerationSource {
  readonly kind = 'vnodes';
  private readonly cache = new Map<number, StreamGroup[]>();

  constructor(
    private readonly client: cassandra.Client,
    private readonly system: SystemKeyspaces,
    private readonly consistency: number,
  ) {}

  async timestamps(): Promise<number[]> {
    const rs = await this.client.execute(
      `SELECT time FROM ${quoteIdent(this.system.generations)}.cdc_generation_timestamps WHERE key = 'timestamps'`,
      [],
      { prepare: true, consistency: this.consistency },
    );
    return rs.rows.map((r) => (r.time as Date).getTime()).sort((a, b) => a - b);
  }

  async groups(startMs: number): Promise<StreamGroup[]> {
    const cached = this.cache.get(startMs);
    if (cached) return cached;
    const rs = await this.client.execute(
      `SELECT range_end, streams FROM ${quoteIdent(this.system.generations)}.cdc_streams_descriptions_v2 WHERE time = ?`,
      [new Date(startMs)],
      { prepare: true, consistency: this.consistency, fetchSize: 100_000 },
    );
    // Group by the vnode index in the stream ids (as the Java library does); rows whose ids are
    // not version 1 form a group of their own.
    const groups = new Map<string, Buffer[]>();
    for (const row of rs.rows) {
      const streams = [...((row.streams as Iterable<Buffer> | null) ?? [])].sort(Buffer.compare);
      for (const s of streams) {
        const index = vnodeIndexOf(s);
        const id = index === undefined ? `r${String(row.range_end)}` : `v${index}`;
        let list = groups.get(id);
        if (!list) {
          list = [];
          groups.set(id, list);
        }
        list.push(s);
      }
    }
    const out = [...groups.entries()].map(([id, streams]) => ({ id, streams }));
    this.cache.set(startMs, out);
    return out;
  }
}

export class TabletStreams implements GenerationSource {
  readonly kind = 'tablets';
  private readonly cache = new Map<number, StreamGroup[]>();

  constructor(
    private readonly client: cassandra.Client,
    private readonly system: SystemKeyspaces,
    private readonly keyspace: string,
    private readonly table: string,
    private readonly consistency: number,
  ) {}

  async timestamps(): Promise<number[]> {
    const rs = await this.client.execute(
      `SELECT timestamp FROM ${quoteIdent(this.system.tablets)}.cdc_timestamps WHERE keyspace_name = ? AND table_name = ?`,
      [this.keyspace, this.table],
      { prepare: true, consistency: this.consistency },
    );
    return rs.rows.map((r) => (r.timestamp as Date).getTime()).sort((a, b) => a - b);
  }

  async groups(startMs: number): Promise<StreamGroup[]> {
    const cached = this.cache.get(startMs);
    if (cached) return cached;
    const rs = await this.client.execute(
      `SELECT stream_id FROM ${quoteIdent(this.system.tablets)}.cdc_streams WHERE keyspace_name = ? AND table_name = ? ` +
        'AND timestamp = ? AND stream_state = 0',
      [this.keyspace, this.table, new Date(startMs)],
      { prepare: true, consistency: this.consistency, fetchSize: 100_000 },
    );
    // One group per tablet stream: tablets move independently.
    const out = rs.rows
      .map((r) => r.stream_id as Buffer)
      .sort(Buffer.compare)
      .map((s) => ({ id: `s${s.toString('hex')}`, streams: [s] }));
    this.cache.set(startMs, out);
    return out;
  }
}
