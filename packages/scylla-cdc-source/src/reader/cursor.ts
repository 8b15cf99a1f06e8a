import cassandra from 'cassandra-driver';
import { timeuuidMicros } from './timeuuid.js';

/** The last change consumed from one stream: its `cdc$time` and the last `cdc$batch_seq_no` of its write. */
export interface StreamPosition {
  readonly time: Buffer;
  readonly us: number;
  readonly seq: number;
}

/**
 * The serialised resume position of one table (what a STATE message carries):
 * - `generation`: start (epoch ms) of the generation / stream set being read;
 * - `watermark_us`: every change with a `cdc$time` at or before this µs has been emitted, in
 *   every group not listed in `groups`;
 * - `groups`: group id → its own watermark, when it differs from `watermark_us`;
 * - `streams`: stream id (hex) → [`cdc$time`, `cdc$batch_seq_no`] of the last change emitted
 *   beyond its group's watermark.
 */
export interface CursorJson {
  generation: number;
  watermark_us: number;
  groups?: Record<string, number>;
  streams?: Record<string, [string, number]>;
}

export function isCursorJson(value: unknown): value is CursorJson {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.generation === 'number' && typeof v.watermark_us === 'number';
}

/** A table's resume position, updated as changes and window ends are emitted. */
export class TableCursor {
  generation: number;
  private readonly groups = new Map<string, number>();
  private defaultWatermark: number;
  private readonly streams = new Map<string, { group: string; pos: StreamPosition }>();
  /** Whether every group of the generation is in `groups` (see setGroups). */
  private allGroupsKnown = false;
  /** Bumped on every change; lets callers skip writing unchanged states. */
  version = 0;

  constructor(generation: number, watermarkUs: number) {
    this.generation = generation;
    this.defaultWatermark = watermarkUs;
  }

  static fromJson(json: CursorJson): TableCursor {
    const c = new TableCursor(json.generation, json.watermark_us);
    for (const [g, w] of Object.entries(json.groups ?? {})) c.groups.set(g, w);
    for (const [hex, [time, seq]] of Object.entries(json.streams ?? {})) {
      const buf = cassandra.types.TimeUuid.fromString(time).getBuffer();
      c.streams.set(hex, { group: '', pos: { time: buf, us: timeuuidMicros(buf), seq } });
    }
    return c;
  }

  watermarkOf(group: string): number {
    return this.groups.get(group) ?? this.defaultWatermark;
  }

  positionOf(streamHex: string): StreamPosition | undefined {
    return this.streams.get(streamHex)?.pos;
  }

  /** The lowest watermark over the given groups (or the default one). */
  minWatermark(groups?: Iterable<string>): number {
    let min = Number.POSITIVE_INFINITY;
    if (groups) for (const g of groups) min = Math.min(min, this.watermarkOf(g));
    else {
      min = this.defaultWatermark;
      for (const w of this.groups.values()) min = Math.min(min, w);
    }
    return min;
  }

  /** A change was emitted. */
  advanceStream(group: string, streamHex: string, pos: StreamPosition): void {
    this.streams.set(streamHex, { group, pos });
    this.version++;
  }

  /** Every change of `group` up to `watermarkUs` was emitted. */
  advanceGroup(group: string, watermarkUs: number): void {
    this.groups.set(group, watermarkUs);
    for (const [hex, s] of this.streams) {
      if (s.pos.us <= watermarkUs && (s.group === group || s.group === '')) this.streams.delete(hex);
    }
    this.version++;
  }

  /** The table moved on to the generation starting at `generation` ms. */
  switchGeneration(generation: number, watermarkUs: number): void {
    this.generation = generation;
    this.defaultWatermark = watermarkUs;
    this.groups.clear();
    this.streams.clear();
    this.allGroupsKnown = false;
    this.version++;
  }

  toJson(): CursorJson {
    // The most common group watermark becomes the default, so a caught-up table stays small.
    // Only when setGroups() made every group of the generation explicit: a group that is not
    // listed takes the default, which must then stay what it was.
    let common = this.defaultWatermark;
    if (this.allGroupsKnown) {
      const counts = new Map<number, number>();
      for (const w of this.groups.values()) counts.set(w, (counts.get(w) ?? 0) + 1);
      let best = 0;
      for (const [w, n] of counts) {
        if (n > best) {
          best = n;
          common = w;
        }
      }
    }
    const out: CursorJson = { generation: this.generation, watermark_us: common };
    const groups: Record<string, number> = {};
    let anyGroup = false;
    for (const [g, w] of this.groups) {
      if (w !== common) {
        groups[g] = w;
        anyGroup = true;
      }
    }
    if (anyGroup) out.groups = groups;
    if (this.streams.size > 0) {
      const streams: Record<string, [string, number]> = {};
      for (const [hex, s] of this.streams) streams[hex] = [uuidString(s.pos.time), s.pos.seq];
      out.streams = streams;
    }
    return out;
  }

  /**
   * Makes every group of the generation explicit (groups not yet listed take the default
   * watermark), so that `toJson` may pick any common value as the default.
   */
  setGroups(ids: Iterable<string>): void {
    for (const id of ids) if (!this.groups.has(id)) this.groups.set(id, this.defaultWatermark);
    this.allGroupsKnown = true;
  }
}

export function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
