#!/usr/bin/env node
// The ceiling of the destination-kinesis bench, in a fresh process of its own as the destination
// runs in one (so neither side profits from code the bench process has already optimised): the
// AWS SDK alone sending ready-made entries as parallel PutRecords, IN_FLIGHT requests per stream,
// resending refused entries. The entries are built before the clock starts.
//
//   node sdk-ceiling.mjs '<json: endpoint, account, names, n, bytes, buffer, inFlight>'
// Prints one JSON line: { seconds, cpu, refused, endedAt } (endedAt: epoch ms of the last answer).
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { keepAliveHttpHandler, silenceSdkNodeVersionWarning } from '@tributary/aws-common';
import { kinesisClient } from '@tributary/testkit';
import { entries } from './records.mjs';

const { endpoint, account, names, n, bytes, buffer, inFlight } = JSON.parse(process.argv[2]);
silenceSdkNodeVersionWarning();
const client = kinesisClient(
  { endpoint, region: 'us-east-1', accessKeyId: account, secretAccessKey: 'bench' },
  {
    maxAttempts: 1,
    requestHandler: keepAliveHttpHandler({
      maxSockets: Math.min(256, Math.max(16, names.length * inFlight)),
    }),
  },
);
const byStream = entries(n, bytes, names.length);
globalThis.gc?.();
let refused = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await Promise.all(
  byStream.map(async (list, s) => {
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        let batch = list.slice(next, next + buffer);
        next += buffer;
        while (batch.length > 0) {
          let out;
          try {
            out = await client.send(new PutRecordsCommand({ StreamName: names[s], Records: batch }));
          } catch (err) {
            // Resend the whole request on a network error or throttling, as any client would.
            process.stderr.write(`  ceiling: ${err.name}: ${err.message}; resending\n`);
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          batch = batch.filter((_, i) => out.Records?.[i]?.ErrorCode);
          refused += batch.length;
        }
      }
    };
    await Promise.all([...Array(inFlight)].map(worker));
  }),
);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const endedAt = performance.timeOrigin + performance.now();
const used = process.cpuUsage(cpu0);
client.destroy();
process.stdout.write(
  `${JSON.stringify({ seconds, cpu: (used.user + used.system) / 1e6, refused, endedAt })}\n`,
);
