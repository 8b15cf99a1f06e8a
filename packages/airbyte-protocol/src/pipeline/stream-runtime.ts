import type { StreamPlan } from '../refresh/index.js';
import type { StreamLoader } from './destination.js';

/** Per-stream bookkeeping of the write pipeline. */
export interface StreamRuntime {
  readonly key: string;
  readonly plan: StreamPlan;
  readonly loader: StreamLoader;
  batchRecords: number;
  batchBytes: number;
  batchStartedAt: number;
  inFlight: number;
  flushWanted: boolean;
  status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE' | null;
  recordsWritten: number;
  recordsRejected: number;
}

export function newStreamRuntime(key: string, plan: StreamPlan, loader: StreamLoader): StreamRuntime {
  return {
    key,
    plan,
    loader,
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
