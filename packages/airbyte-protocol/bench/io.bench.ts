// NDJSON read throughput: LineSplitter (+ JSON.parse) against naive baselines.
// Run: node --import tsx bench/io.bench.ts [records]   (from packages/airbyte-protocol)
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { LineSplitter } from '../src/io/line-splitter.js';
import { startNdjsonReader } from '../src/io/ndjson-reader.js';
import { NdjsonWriter } from '../src/io/ndjson-writer.js';

const RECORDS = Number(process.argv[2] ?? 500_000);
const CHUNK = 64 * 1024; // what a pipe delivers to process.stdin

function makeInput(nonAscii: boolean): Buffer {
  const city = nonAscii ? 'Zürich' : 'Zurich';
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const data = {
      id: i,
      name: `user${i}`,
      email: `u${i}@example.com`,
      score: i * 1.5,
      active: i % 2 === 0,
      city,
    };
    lines.push(
      JSON.stringify({
        type: 'RECORD',
        record: { stream: 'users', emitted_at: 1_700_000_000_000 + i, data },
      }),
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

function chunks(input: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < input.length; i += CHUNK) out.push(input.subarray(i, i + CHUNK));
  return out;
}

interface Result {
  name: string;
  ms: number;
}

async function time(name: string, run: () => number | Promise<number>, expected: number): Promise<Result> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    const count = await run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (count !== expected) throw new Error(`${name}: counted ${count}, expected ${expected}`);
    best = Math.min(best, ms);
  }
  return { name, ms: best };
}

async function suite(label: string, input: Buffer): Promise<void> {
  const parts = chunks(input);
  let sink = 0;
  const results = [
    await time(
      'naive: toString().split + JSON.parse',
      () => {
        let n = 0;
        for (const line of input.toString('utf8').split('\n')) {
          if (line.length === 0) continue;
          sink += (JSON.parse(line) as { record: { emitted_at: number } }).record.emitted_at & 1;
          n++;
        }
        return n;
      },
      RECORDS,
    ),
    await time(
      'readline + JSON.parse',
      async () => {
        let n = 0;
        const rl = createInterface({ input: Readable.from(parts), crlfDelay: Number.POSITIVE_INFINITY });
        rl.on('line', (line) => {
          sink += (JSON.parse(line) as { record: { emitted_at: number } }).record.emitted_at & 1;
          n++;
        });
        await new Promise((resolve) => rl.once('close', resolve));
        return n;
      },
      RECORDS,
    ),
    await time(
      'LineSplitter only (no parse)',
      () => {
        let n = 0;
        const splitter = new LineSplitter((_line, _no, bytes) => {
          sink += bytes;
          n++;
        });
        for (const part of parts) splitter.push(part);
        splitter.end();
        return n;
      },
      RECORDS,
    ),
    await time(
      'LineSplitter + JSON.parse',
      () => {
        let n = 0;
        const splitter = new LineSplitter((line) => {
          sink += (JSON.parse(line) as { record: { emitted_at: number } }).record.emitted_at & 1;
          n++;
        });
        for (const part of parts) splitter.push(part);
        splitter.end();
        return n;
      },
      RECORDS,
    ),
    await time(
      'startNdjsonReader (Readable, 64 KiB chunks)',
      async () => {
        const stats = await startNdjsonReader(Readable.from(parts), {
          onValue: (value) => {
            sink += (value as { record: { emitted_at: number } }).record.emitted_at & 1;
          },
        }).done;
        return stats.values;
      },
      RECORDS,
    ),
  ];
  const mb = input.length / 1e6;
  console.log(
    `\n${label}: ${RECORDS} lines, ${mb.toFixed(1)} MB, ${(input.length / RECORDS).toFixed(0)} B/line`,
  );
  for (const r of results) {
    const secs = r.ms / 1000;
    console.log(
      `  ${r.name.padEnd(46)} ${(RECORDS / secs / 1000).toFixed(0).padStart(6)} k lines/s ${(mb / secs).toFixed(0).padStart(6)} MB/s`,
    );
  }
  if (sink === -1) console.log(sink);
}

/** Emission: JSON.stringify + write to /dev/null, one write per line vs NdjsonWriter batches. */
async function emitSuite(): Promise<void> {
  const record = (i: number) => ({
    type: 'RECORD',
    record: {
      stream: 'users',
      emitted_at: 1_700_000_000_000 + i,
      data: { id: i, name: `user${i}`, ok: true },
    },
  });
  const perLine = await time(
    'one stream.write per line',
    async () => {
      const out = createWriteStream('/dev/null');
      for (let i = 0; i < RECORDS; i++) {
        if (!out.write(JSON.stringify(record(i)) + '\n'))
          await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((r) => out.end(() => r()));
      return RECORDS;
    },
    RECORDS,
  );
  const batched = await time(
    'NdjsonWriter (64 KiB batches)',
    async () => {
      const writer = new NdjsonWriter(createWriteStream('/dev/null'), { endOutput: true });
      for (let i = 0; i < RECORDS; i++) {
        if (!writer.write(record(i))) await writer.drained();
      }
      await writer.end();
      return RECORDS;
    },
    RECORDS,
  );
  console.log(`\nEmission: ${RECORDS} records to /dev/null`);
  for (const r of [perLine, batched]) {
    console.log(
      `  ${r.name.padEnd(46)} ${(RECORDS / (r.ms / 1000) / 1000).toFixed(0).padStart(6)} k lines/s`,
    );
  }
}

await suite('ASCII records', makeInput(false));
await suite('Non-ASCII records (exact byte length costs a Buffer.byteLength per line)', makeInput(true));
await emitSuite();
