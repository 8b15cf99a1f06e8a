/** Messages between the main thread and the PutRecords worker (see worker-transport.ts). */

export interface WorkerInit {
  /** The validated connector config (plain data): the worker builds its own client from it. */
  readonly config: unknown;
  readonly maxSockets: number;
  readonly requestTimeoutMs: number;
}

/** One PutRecords request: the entries' data packed in one transferred buffer. */
export interface PutRequest {
  readonly type: 'put';
  readonly id: number;
  readonly stream: string;
  readonly data: ArrayBuffer;
  /** Entry i is data[offsets[i], offsets[i+1]). */
  readonly offsets: number[];
  readonly keys: string[];
  /** Explicit hash key per entry, or null for none. */
  readonly hashKeys: Array<string | null> | null;
}

export type WorkerCommand =
  | PutRequest
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'close' };

/** What the sender needs of an error to classify it (isRetryable, classifyRequestError). */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly status?: number;
  /** The SDK marked the error `$retryable`. */
  readonly retryable: boolean;
}

export type PutReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly count: number;
      /** [entry index, ErrorCode, ErrorMessage] of each refused entry. */
      readonly failures: Array<[number, string, string]>;
    }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError };
