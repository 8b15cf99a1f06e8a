import type { AirbyteStateMessage } from '../models/index.js';

/**
 * Decides when each incoming STATE may go back out.
 *
 * Every accepted record gets a sequence number within its stream. A flush commits a contiguous
 * range of one stream's sequence numbers; ranges may finish out of order, so each stream keeps
 * a "committed watermark": the count of leading records that are all durable.
 *
 * A STREAM state covers the records of its stream received before it; a GLOBAL or LEGACY state
 * covers the records of every stream received before it. A state is released once its coverage
 * is committed and every earlier state of its ordering domain has been released (per stream for
 * STREAM states, all states for GLOBAL/LEGACY), so states leave in the order they arrived.
 */
export interface PendingState {
  readonly message: AirbyteStateMessage;
  /** Stream key for STREAM states; null for GLOBAL/LEGACY (all streams). */
  readonly streamKey: string | null;
  /** Required committed watermark per stream when this state arrived. */
  readonly requires: ReadonlyMap<string, number>;
  readonly recordCount: number;
  readonly rejectedRecordCount: number;
  readonly receivedAt: number;
}

/** Per-stream counters; loaders' hot path holds a reference to avoid a map lookup per record. */
export interface StreamProgress {
  received: number; // records accepted for writing (sequence numbers handed out)
  committed: number; // watermark
  ranges: Array<{ start: number; end: number; done: boolean }>; // in-flight flush ranges, ordered
  flushedUpTo: number; // end of the last range handed to a flush
  sinceState: number; // records (accepted + rejected) since the stream's last STREAM state
  rejectedSinceState: number;
}

export interface ReleasedState {
  readonly message: AirbyteStateMessage;
  readonly recordCount: number;
  readonly rejectedRecordCount: number;
}

export class StateLedger {
  private readonly streams = new Map<string, StreamProgress>();
  private readonly pending: PendingState[] = [];
  private globalSince = 0;
  private globalRejectedSince = 0;
  private releasedCount = 0;

  /** The progress record of a stream (created on first use). */
  progress(key: string): StreamProgress {
    let p = this.streams.get(key);
    if (!p) {
      p = { received: 0, committed: 0, ranges: [], flushedUpTo: 0, sinceState: 0, rejectedSinceState: 0 };
      this.streams.set(key, p);
    }
    return p;
  }

  /** A record was accepted by the stream's loader and now awaits a flush. */
  recordAccepted(key: string): void {
    this.accepted(this.progress(key));
  }

  /** Same as `recordAccepted`, given the stream's progress record (hot path). */
  accepted(p: StreamProgress): void {
    p.received++;
    p.sinceState++;
    this.globalSince++;
  }

  /** A record was rejected by the loader: it counts toward the state but needs no commit. */
  recordRejected(key: string): void {
    const p = this.progress(key);
    p.sinceState++;
    p.rejectedSinceState++;
    this.globalSince++;
    this.globalRejectedSince++;
  }

  /** Records accepted but not yet handed to a flush. */
  unflushed(key: string): number {
    const p = this.streams.get(key);
    return p ? p.received - p.flushedUpTo : 0;
  }

  /** Hands every accepted, unflushed record of the stream to a new flush; returns its token. */
  beginFlush(key: string): FlushToken | null {
    const p = this.progress(key);
    if (p.received === p.flushedUpTo) return null;
    const range = { start: p.flushedUpTo, end: p.received, done: false };
    p.ranges.push(range);
    p.flushedUpTo = p.received;
    return { key, start: range.start, end: range.end };
  }

  /** The flush committed its records durably. */
  completeFlush(token: FlushToken): void {
    const p = this.progress(token.key);
    const range = p.ranges.find((r) => r.start === token.start && r.end === token.end);
    if (!range) throw new Error(`unknown flush range ${token.key}[${token.start},${token.end})`);
    range.done = true;
    while (p.ranges.length > 0 && p.ranges[0]!.done) {
      p.committed = p.ranges.shift()!.end;
    }
  }

  /** Records a STATE; returns the pending entry (released later by `releasable`). */
  addState(message: AirbyteStateMessage, streamKey: string | null, now = Date.now()): PendingState {
    const requires = new Map<string, number>();
    let recordCount: number;
    let rejectedRecordCount: number;
    if (streamKey !== null) {
      const p = this.progress(streamKey);
      requires.set(streamKey, p.received);
      recordCount = p.sinceState;
      rejectedRecordCount = p.rejectedSinceState;
      p.sinceState = 0;
      p.rejectedSinceState = 0;
    } else {
      for (const [key, p] of this.streams) {
        if (p.received > 0) requires.set(key, p.received);
        p.sinceState = 0;
        p.rejectedSinceState = 0;
      }
      recordCount = this.globalSince;
      rejectedRecordCount = this.globalRejectedSince;
    }
    // A GLOBAL state resets the global counter; a STREAM state's records also leave the global
    // counter so that a later GLOBAL state does not count them twice.
    this.globalSince = streamKey === null ? 0 : this.globalSince - recordCount;
    this.globalRejectedSince = streamKey === null ? 0 : this.globalRejectedSince - rejectedRecordCount;
    const entry: PendingState = {
      message,
      streamKey,
      requires,
      recordCount,
      rejectedRecordCount,
      receivedAt: now,
    };
    this.pending.push(entry);
    return entry;
  }

  private covered(state: PendingState): boolean {
    for (const [key, needed] of state.requires) {
      if ((this.streams.get(key)?.committed ?? 0) < needed) return false;
    }
    return true;
  }

  /** Removes and returns, in arrival order, every state that may be released now. */
  releasable(): ReleasedState[] {
    const out: ReleasedState[] = [];
    const blockedStreams = new Set<string>();
    let allBlocked = false;
    const keep: PendingState[] = [];
    for (const state of this.pending) {
      let release = false;
      if (state.streamKey !== null) {
        if (!allBlocked && !blockedStreams.has(state.streamKey) && this.covered(state)) release = true;
        else blockedStreams.add(state.streamKey);
      } else {
        if (!allBlocked && blockedStreams.size === 0 && this.covered(state)) release = true;
        else allBlocked = true;
      }
      if (release) {
        out.push({
          message: state.message,
          recordCount: state.recordCount,
          rejectedRecordCount: state.rejectedRecordCount,
        });
      } else {
        keep.push(state);
      }
    }
    this.pending.length = 0;
    this.pending.push(...keep);
    this.releasedCount += out.length;
    return out;
  }

  /** Streams whose unflushed records hold back a pending state older than `olderThan`. */
  streamsHoldingStates(olderThan: number): Set<string> {
    const keys = new Set<string>();
    for (const state of this.pending) {
      if (state.receivedAt > olderThan) continue;
      for (const [key, needed] of state.requires) {
        const p = this.streams.get(key);
        if (p && p.flushedUpTo < needed) keys.add(key);
      }
    }
    return keys;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get released(): number {
    return this.releasedCount;
  }

  /** True when every accepted record of every stream is committed. */
  allCommitted(): boolean {
    for (const p of this.streams.values()) if (p.committed < p.received) return false;
    return true;
  }
}

export interface FlushToken {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}
