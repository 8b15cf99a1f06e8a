import type { StreamPlan } from '../refresh/index.js';
import type { StreamLoader } from './destination.js';
import type { StreamProgress } from './state-ledger.js';

/** Per-stream bookkeeping of the write pipeline. */
export interface StreamRuntime {
  readonly key: string;
  readonly plan: StreamPlan;
  readonly loader: StreamLoader;
  readonly progress: StreamProgress;
  batchRecords: number;
  batchBytes: number;
  batchStartedAt: number;
  inFlight: number;
  flushWanted: boolean;
  status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE' | null;
  recordsWritten: number;
  recordsRejected: number;
}

export function newStreamRuntime(
  key: string,
  plan: StreamPlan,
  loader: StreamLoader,
  progress: StreamProgress,
): StreamRuntime {
  return {
    key,
    plan,
    loader,
    progress,
    batchRecords: 0,
    batchBytes: 0,
    batchStartedAt: 0,
    inFlight: 0,
    flushWanted: false,
    status: null,
    recordsWritten: 0,
    recordsRejected: 0,
  };
}
