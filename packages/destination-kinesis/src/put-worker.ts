import { parentPort, workerData } from 'node:worker_threads';
import { kinesisClientFor } from './client.js';
import type { KinesisConfig } from './config.js';
import { type PutEntry, putRecordsWith } from './put-records.js';
import type { PutReply, PutRequest, WorkerCommand, WorkerInit } from './worker-protocol.js';

// The thread that makes the PutRecords calls: serialising a request (base64, JSON), signing it
// (SHA-256 of the body) and parsing the answer happen here, in parallel with the main thread
// parsing stdin and formatting records.

const init = workerData as WorkerInit;
const client = kinesisClientFor(init.config as KinesisConfig, {
  maxSockets: init.maxSockets,
  putRecordsOnly: true,
});
const putters = new Map<string, ReturnType<typeof putRecordsWith>>();
const aborts = new Map<number, AbortController>();
const port = parentPort!;

function reply(message: PutReply): void {
  port.postMessage(message);
}

async function put(req: PutRequest): Promise<void> {
  let putter = putters.get(req.stream);
  if (putter === undefined) {
    putter = putRecordsWith(client, req.stream, init.requestTimeoutMs);
    putters.set(req.stream, putter);
  }
  const data = new Uint8Array(req.data);
  const entries: PutEntry[] = new Array(req.keys.length);
  for (let i = 0; i < req.keys.length; i++) {
    const bytes = data.subarray(req.offsets[i]!, req.offsets[i + 1]!);
    const ehk = req.hashKeys?.[i];
    entries[i] =
      ehk === undefined || ehk === null
        ? { Data: bytes, PartitionKey: req.keys[i]! }
        : { Data: bytes, PartitionKey: req.keys[i]!, ExplicitHashKey: ehk };
  }
  const abort = new AbortController();
  aborts.set(req.id, abort);
  try {
    const out = await putter(entries, abort.signal);
    const failures: Array<[number, string, string]> = [];
    const records = out.Records ?? [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.ErrorCode) failures.push([i, r.ErrorCode, r.ErrorMessage ?? '']);
    }
    reply({ id: req.id, ok: true, count: records.length, failures });
  } catch (err) {
    const e = err as Record<string, unknown>;
    const meta = e.$metadata as { httpStatusCode?: number } | undefined;
    reply({
      id: req.id,
      ok: false,
      error: {
        name: typeof e.name === 'string' ? e.name : 'Error',
        message: typeof e.message === 'string' ? e.message : String(err),
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
        ...(meta?.httpStatusCode !== undefined ? { status: meta.httpStatusCode } : {}),
        retryable: e.$retryable !== undefined && e.$retryable !== null,
      },
    });
  } finally {
    aborts.delete(req.id);
  }
}

port.on('message', (msg: WorkerCommand) => {
  if (msg.type === 'put') void put(msg);
  else if (msg.type === 'cancel') aborts.get(msg.id)?.abort();
  else if (msg.type === 'close') {
    for (const a of aborts.values()) a.abort();
    client.destroy();
    port.close();
  }
});
