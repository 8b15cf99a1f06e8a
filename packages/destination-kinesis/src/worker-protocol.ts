/** Messages between the main thread and the sender thread (see sender-worker.ts, remote-sink.ts). */
import type { SenderSettings, SenderStats } from './sender.js';
import type { ShardDescription } from './shard-map.js';

export interface WorkerInit {
  /** The validated connector config (plain data): the worker builds its own client from it. */
  readonly config: unknown;
  readonly maxSockets: number;
  readonly requestTimeoutMs: number;
}

/** What the worker needs to build a stream's StreamSender. */
export interface RemoteSenderOptions extends SenderSettings {
  /** `aggregate-by-shard`: the stream's shards (ListShards), for the shard map. */
  readonly shards?: readonly ShardDescription[];
}

export type WorkerCommand =
  | { readonly type: 'open'; readonly sid: number; readonly options: RemoteSenderOptions }
  /**
   * Records of one stream, in order: record i is data[ends[i-1] (or 0), ends[i]) with partition
   * key keys[i] (null: none, see StreamSender.add).
   */
  | {
      readonly type: 'records';
      readonly sid: number;
      readonly data: ArrayBuffer;
      readonly ends: Uint32Array;
      readonly keys: Array<string | null>;
    }
  /** Closes the records sent so far into a batch; answered by `flushed` or `flush-failed`. */
  | { readonly type: 'flush'; readonly sid: number; readonly fid: number }
  /** Stops the stream's sender; answered by `closed`. */
  | { readonly type: 'close'; readonly sid: number }
  | { readonly type: 'shutdown' };

/** What the main thread needs of an error to rebuild it (its class decides the failure type). */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly internalMessage?: string;
}

export type WorkerReply =
  | { readonly type: 'flushed'; readonly sid: number; readonly fid: number }
  | { readonly type: 'flush-failed'; readonly sid: number; readonly fid: number; readonly error: WorkerError }
  | { readonly type: 'closed'; readonly sid: number; readonly stats: SenderStats }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string };
