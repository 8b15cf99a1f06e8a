import type { Logger } from 'pino';
import { ConfigError, SystemError } from '../errors/index.js';
import type { NdjsonWriter } from '../io/ndjson-writer.js';
import { startNdjsonReader } from '../io/ndjson-reader.js';
import type { AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../models/index.js';
import { decodeMessage, streamKey } from '../models/index.js';
import { planStream } from '../refresh/index.js';
import { mapBounded } from '../util/map-bounded.js';
import type { DestinationWriter } from './destination.js';
import { type PipelineOptions, resolvePipelineOptions } from './options.js';
import { type FlushToken, StateLedger } from './state-ledger.js';
import { newStreamRuntime, type StreamRuntime } from './stream-runtime.js';

export interface WritePipelineParams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NdjsonWriter;
  readonly writer: DestinationWriter;
  readonly catalog: ConfiguredAirbyteCatalog;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly syncStartedAt?: number;
  readonly options?: Partial<PipelineOptions>;
  /** Test hook: the clock. */
  readonly now?: () => number;
}

export interface WriteSummary {
  readonly records: number;
  readonly rejected: number;
  readonly statesReceived: number;
  readonly statesReleased: number;
  readonly malformedLines: number;
  readonly invalidMessages: number;
  readonly ignoredRecords: number;
  readonly finalizedStreams: string[];
  readonly interrupted: boolean;
}

/** Raised when the sync was stopped by a signal: what was committed is acknowledged, then exit non-zero. */
export class InterruptedError extends SystemError {
  constructor(signalName: string) {
    super(`sync interrupted by ${signalName}; committed records were acknowledged, the rest will be resent`);
    this.name = 'InterruptedError';
  }
}

/**
 * stdin → parse → route by stream → per-stream loader → commit → release state.
 * Resolves with a summary when every record is committed and every state released;
 * rejects (after releasing what was committed) when a flush fails or the sync is interrupted.
 */
export async function runWritePipeline(params: WritePipelineParams): Promise<WriteSummary> {
  const { input, output, writer, catalog, logger } = params;
  const now = params.now ?? Date.now;
  const syncStartedAt = params.syncStartedAt ?? now();
  const opts = resolvePipelineOptions(writer.pipelineOptions, params.options);
  const ledger = new StateLedger();

  // ---- per-stream loaders, created before the first record ----
  const plans = catalog.streams.map((s) => planStream(s, syncStartedAt));
  for (const plan of plans) {
    if (plan.dedup && plan.primaryKey.length === 0) {
      throw new ConfigError(`stream ${plan.name} uses append_dedup but the catalog gives it no primary_key`);
    }
  }
  const streams = new Map<string, StreamRuntime>();
  // Records are routed by (namespace, name) without building a key string per record.
  const routes = new Map<string | null, Map<string, StreamRuntime>>();
  await writer.setup?.();
  const loaders = await mapBounded(plans, 4, (plan) => writer.createStreamLoader(plan));
  plans.forEach((plan, i) => {
    const key = streamKey({ name: plan.name, namespace: plan.namespace });
    const runtime = newStreamRuntime(key, plan, loaders[i]!, ledger.progress(key));
    streams.set(key, runtime);
    const byName = routes.get(plan.namespace) ?? new Map<string, StreamRuntime>();
    routes.set(plan.namespace, byName);
    byName.set(plan.name, runtime);
  });

  // ---- shared state ----
  let bufferedBytes = 0;
  let inFlightTotal = 0;
  let failure: unknown = null;
  let stopping = false;
  let statesReceived = 0;
  let invalidMessages = 0;
  let ignoredRecords = 0;
  let sawStreamStatus = false;
  let paused = false;
  const ignoredStreams = new Set<string>();
  const flushQueue: StreamRuntime[] = [];
  let idleWaiters: Array<() => void> = [];

  const releaseStates = (): void => {
    for (const released of ledger.releasable()) {
      const stats: Record<string, number> = { recordCount: released.recordCount };
      if (released.rejectedRecordCount > 0) stats.rejectedRecordCount = released.rejectedRecordCount;
      const message: AirbyteStateMessage = { ...released.message, destinationStats: stats };
      // States go out at once: the platform may checkpoint on them while records still flow.
      output.writeNow({ type: 'STATE', state: message });
    }
  };

  const notifyIdle = (): void => {
    if (inFlightTotal > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  /** The stream holding the most unflushed input, if any holds some. */
  const largestBatch = (): StreamRuntime | null => {
    let largest: StreamRuntime | null = null;
    for (const t of streams.values()) {
      if (t.batchBytes > 0 && (!largest || t.batchBytes > largest.batchBytes)) largest = t;
    }
    return largest;
  };

  /**
   * Input resumes once buffered bytes fall to half the bound. Until then, whenever no flush is
   * running or queued, the largest batch is flushed: with many streams one batch may be far less
   * than half the bound, and a paused input with nothing in flight would never resume.
   */
  const maybeResume = (): void => {
    if (!paused) return;
    if (bufferedBytes <= opts.maxBufferedBytes / 2) {
      paused = false;
      reader.resume();
      return;
    }
    if (inFlightTotal === 0 && flushQueue.length === 0) {
      const largest = largestBatch();
      if (largest) requestFlush(largest);
    }
  };

  const startFlush = (s: StreamRuntime): void => {
    const token: FlushToken | null = ledger.beginFlush(s.key);
    const bytes = s.batchBytes;
    s.batchRecords = 0;
    s.batchBytes = 0;
    s.flushWanted = false;
    if (!token) return;
    s.inFlight++;
    inFlightTotal++;
    let promise: Promise<void>;
    try {
      promise = s.loader.flush();
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      () => {
        ledger.completeFlush(token);
        s.inFlight--;
        inFlightTotal--;
        bufferedBytes -= bytes;
        releaseStates();
        pumpQueue();
        maybeResume();
        notifyIdle();
      },
      (err: unknown) => {
        s.inFlight--;
        inFlightTotal--;
        bufferedBytes -= bytes;
        fail(err);
        notifyIdle();
      },
    );
  };

  const canStart = (s: StreamRuntime): boolean =>
    inFlightTotal < opts.maxConcurrentFlushes &&
    s.inFlight < (s.loader.maxConcurrentFlushes ?? opts.maxConcurrentFlushesPerStream);

  function pumpQueue(): void {
    for (let i = 0; i < flushQueue.length && inFlightTotal < opts.maxConcurrentFlushes; ) {
      const s = flushQueue[i]!;
      if (failure === null && canStart(s)) {
        flushQueue.splice(i, 1);
        if (ledger.unflushed(s.key) > 0) startFlush(s);
        else s.flushWanted = false;
      } else i++;
    }
  }

  const requestFlush = (s: StreamRuntime): void => {
    if (failure !== null || ledger.unflushed(s.key) === 0) return;
    if (canStart(s) && !s.flushWanted) startFlush(s);
    else if (!s.flushWanted) {
      s.flushWanted = true;
      flushQueue.push(s);
    }
  };

  function fail(err: unknown): void {
    if (failure === null) {
      failure = err;
      stopping = true;
      reader.stop();
    }
  }

  // ---- message handling (synchronous per line: no promise per record) ----
  const onMessage = (msg: AirbyteMessage, byteLength: number, line: string): boolean => {
    switch (msg.type) {
      case 'RECORD': {
        const record = msg.record;
        const s = routes.get(record.namespace ?? null)?.get(record.stream);
        if (!s) {
          const key = streamKey({ name: record.stream, namespace: record.namespace ?? null });
          ignoredRecords++;
          if (!ignoredStreams.has(key)) {
            ignoredStreams.add(key);
            logger.warn(`ignoring records of stream ${key}: it is not in the configured catalog`);
          }
          return true;
        }
        const outcome = s.loader.write(record, byteLength, line);
        if (outcome === 'rejected') {
          ledger.recordRejected(s.key);
          s.recordsRejected++;
          return true;
        }
        ledger.accepted(s.progress);
        s.recordsWritten++;
        if (s.batchRecords === 0) s.batchStartedAt = now();
        s.batchRecords++;
        s.batchBytes += byteLength;
        bufferedBytes += byteLength;
        if (s.batchRecords >= opts.maxBatchRecords || s.batchBytes >= opts.maxBatchBytes) requestFlush(s);
        if (bufferedBytes > opts.maxBufferedBytes) {
          // Memory bound reached: flush the largest batch and pause input until flushes drain.
          const largest = largestBatch();
          if (largest) requestFlush(largest);
          paused = true;
          return false;
        }
        return true;
      }
      case 'STATE': {
        statesReceived++;
        const state = msg.state;
        const type = state.type ?? 'LEGACY';
        let key: string | null = null;
        if (type === 'STREAM') {
          const desc = state.stream?.stream_descriptor;
          if (!desc) {
            invalidMessages++;
            logger.warn('ignoring a STREAM state without stream_descriptor');
            return true;
          }
          key = streamKey({ name: desc.name, namespace: desc.namespace ?? null });
        }
        ledger.addState(state, key, now());
        releaseStates();
        return true;
      }
      case 'TRACE': {
        const trace = msg.trace;
        if (trace.type === 'STREAM_STATUS' && trace.stream_status) {
          sawStreamStatus = true;
          const desc = trace.stream_status.stream_descriptor;
          const s = streams.get(streamKey({ name: desc.name, namespace: desc.namespace ?? null }));
          if (s) s.status = trace.stream_status.status;
          if (s && trace.stream_status.status === 'COMPLETE') requestFlush(s);
        }
        return true;
      }
      default:
        return true;
    }
  };

  let invalidLogged = 0;
  const reader = startNdjsonReader(input, {
    onValue(value, lineNo, byteLength, line) {
      if (stopping) return false;
      const decoded = decodeMessage(value);
      if (!decoded.ok) {
        invalidMessages++;
        if (invalidLogged++ < 20)
          logger.warn(`line ${lineNo}: not an Airbyte message, ignored (${decoded.reason})`);
        return true;
      }
      return onMessage(decoded.message, byteLength, line);
    },
    onMalformed(lineNo, error, preview) {
      logger.warn(`line ${lineNo}: malformed JSON ignored (${error}): ${preview}`);
    },
  });

  // ---- timers: batch age and states waiting on unflushed records ----
  const ticker = setInterval(() => {
    if (failure !== null) return;
    const t = now();
    for (const s of streams.values()) {
      if (s.batchRecords > 0 && t - s.batchStartedAt >= opts.maxBatchAgeMs) requestFlush(s);
    }
    for (const key of ledger.streamsHoldingStates(t - opts.stateFlushDelayMs)) {
      const s = streams.get(key);
      if (s) requestFlush(s);
    }
  }, opts.tickMs);
  ticker.unref();

  const onAbort = (): void => {
    stopping = true;
    reader.stop();
  };
  params.signal?.addEventListener('abort', onAbort, { once: true });

  const waitIdle = (): Promise<void> =>
    inFlightTotal === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));

  let readStats = { malformed: 0 };
  const finalized: string[] = [];
  let success = false;
  try {
    try {
      readStats = await reader.done;
    } catch (err) {
      fail(err);
    }
    // Commit everything still buffered (also when interrupted), then wait for every flush.
    while (failure === null) {
      for (const s of streams.values()) requestFlush(s);
      pumpQueue();
      if (inFlightTotal === 0 && flushQueue.length === 0) break;
      await waitIdle();
    }
    await waitIdle();
    releaseStates();
    if (failure !== null) throw failure;
    const interrupted = params.signal?.aborted === true;
    if (interrupted) throw new InterruptedError(signalName(params.signal));
    if (!ledger.allCommitted() || ledger.pendingCount > 0) {
      throw new SystemError(`internal: ${ledger.pendingCount} state(s) not released after all flushes`);
    }

    // Destructive finalisation only for streams that reported COMPLETE. A platform that never
    // forwards stream statuses (older Airbyte) ends a successful sync with EOF: treat as complete.
    const complete = [...streams.values()].filter((s) => s.status === 'COMPLETE' || !sawStreamStatus);
    const skipped = streams.size - complete.length;
    if (skipped > 0) {
      logger.info(`${skipped} stream(s) did not report COMPLETE: skipping their destructive finalisation`);
    }
    await mapBounded(complete, 4, async (s) => {
      await s.loader.finalize?.();
      finalized.push(s.key);
    });
    success = true;
  } finally {
    clearInterval(ticker);
    params.signal?.removeEventListener('abort', onAbort);
    await mapBounded([...streams.values()], 8, async (s) => {
      try {
        await s.loader.close?.();
      } catch (err) {
        logger.warn({ err }, `closing the loader of ${s.key} failed`);
      }
    });
    await writer.teardown?.(success ? { success } : { success, error: failure });
    await output.flush().catch(() => undefined);
  }

  let records = 0;
  let rejected = 0;
  for (const s of streams.values()) {
    records += s.recordsWritten;
    rejected += s.recordsRejected;
  }
  if (ignoredRecords > 0) {
    logger.warn(
      `ignored ${ignoredRecords} record(s) of streams not in the catalog: ${[...ignoredStreams].join(', ')}`,
    );
  }
  return {
    records,
    rejected,
    statesReceived,
    statesReleased: ledger.released,
    malformedLines: readStats.malformed,
    invalidMessages,
    ignoredRecords,
    finalizedStreams: finalized,
    interrupted: false,
  };
}

function signalName(signal: AbortSignal | undefined): string {
  const reason = signal?.reason;
  return typeof reason === 'string' ? reason : 'a signal';
}
