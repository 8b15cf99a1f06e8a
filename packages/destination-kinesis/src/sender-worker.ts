import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage, isTributaryError } from '@tributary/airbyte-protocol';
import { kinesisClientFor } from './client.js';
import type { KinesisConfig } from './config.js';
import { putRecordsWith } from './put-records.js';
import { partitionKeyBytes } from './record-sink.js';
import { StreamSender } from './sender.js';
import { ShardMap } from './shard-map.js';
import type { WorkerCommand, WorkerError, WorkerInit, WorkerReply } from './worker-protocol.js';

// The sender thread (see sender-thread.ts): one StreamSender per stream, fed with the records the
// main thread formatted, making the PutRecords calls.

const init = workerData as WorkerInit;
const port = parentPort!;
const client = kinesisClientFor(init.config as KinesisConfig, {
  maxSockets: init.maxSockets,
  putRecordsOnly: true,
});
const senders = new Map<number, StreamSender>();
const reply = (m: WorkerReply): void => port.postMessage(m);
const logger = {
  info: (message: string) => reply({ type: 'log', level: 'info', message }),
  warn: (message: string) => reply({ type: 'log', level: 'warn', message }),
};

function errorOf(err: unknown): WorkerError {
  if (isTributaryError(err)) {
    return {
      name: err.name,
      message: err.message,
      retryable: err.retryable,
      ...(err.internalMessage !== undefined ? { internalMessage: err.internalMessage } : {}),
    };
  }
  return { name: 'Error', message: errorMessage(err), retryable: false };
}

port.on('message', (cmd: WorkerCommand) => {
  switch (cmd.type) {
    case 'open': {
      const { shards, ...settings } = cmd.options;
      senders.set(
        cmd.sid,
        new StreamSender({
          ...settings,
          put: putRecordsWith(client, settings.streamName, init.requestTimeoutMs),
          ...(shards ? { shardMap: new ShardMap(shards) } : {}),
          logger,
        }),
      );
      break;
    }
    case 'records': {
      const sender = senders.get(cmd.sid);
      if (sender === undefined) break;
      const data = Buffer.from(cmd.data);
      let start = 0;
      for (let i = 0; i < cmd.ends.length; i++) {
        const end = cmd.ends[i]!;
        const pk = cmd.keys[i] ?? null;
        sender.add(pk, data.subarray(start, end), end - start + partitionKeyBytes(pk));
        start = end;
      }
      break;
    }
    case 'flush': {
      const { sid, fid } = cmd;
      const sender = senders.get(sid);
      if (sender === undefined) break;
      sender.flush().then(
        () => reply({ type: 'flushed', sid, fid }),
        (err: unknown) => reply({ type: 'flush-failed', sid, fid, error: errorOf(err) }),
      );
      break;
    }
    case 'close': {
      const sender = senders.get(cmd.sid);
      if (sender === undefined) break;
      sender.close();
      senders.delete(cmd.sid);
      reply({ type: 'closed', sid: cmd.sid, stats: { ...sender.stats } });
      break;
    }
    case 'shutdown':
      for (const sender of senders.values()) sender.close();
      senders.clear();
      client.destroy();
      port.close();
      break;
  }
});
