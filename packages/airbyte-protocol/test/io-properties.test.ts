/// <reference types="jest" />
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { LineSplitter } from '../src/io/line-splitter.js';
import { startNdjsonReader } from '../src/io/ndjson-reader.js';
import { NdjsonWriter } from '../src/io/ndjson-writer.js';

type Line = [line: string, lineNo: number, byteLength: number];

/** The obvious, slow definition the splitter must agree with. */
function oracle(bytes: Buffer): Line[] {
  const out: Line[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((raw, i) => {
      let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
      if ([...line].every((c) => c.charCodeAt(0) <= 32)) return;
      out.push([line, i + 1, Buffer.byteLength(line)]);
    });
  return out;
}

/** Cuts `bytes` at the given (unsorted, possibly repeated) positions. */
function cut(bytes: Buffer, positions: number[]): Buffer[] {
  const points = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

function split(chunks: Buffer[]): Line[] {
  const out: Line[] = [];
  const splitter = new LineSplitter((line, lineNo, byteLength) => {
    out.push([line, lineNo, byteLength]);
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

// Text with multi-byte characters, CR, LF, CRLF, blanks and the occasional BOM.
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', 'é', '€', '😀', '\ufeff') },
);
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
const cuts = fc.array(fc.nat(), { maxLength: 30 });

describe('I/O properties', () => {
  it('any split of a byte stream yields the same lines, numbers and byte lengths', () => {
    fc.assert(
      fc.property(text, cuts, (t, positions) => {
        const bytes = Buffer.from(t, 'utf8');
        expect(split(cut(bytes, positions))).toEqual(oracle(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('splitting byte by byte (inside every character, between \\r and \\n) changes nothing', () => {
    fc.assert(
      fc.property(text, (t) => {
        const bytes = Buffer.from(t, 'utf8');
        expect(split([...bytes].map((b) => Buffer.from([b])))).toEqual(oracle(bytes));
      }),
      { numRuns: 200 },
    );
  });

  // A line is either a JSON object (serialised with random unicode), malformed, or blank.
  const entry = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()).map((v) => ({ v })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{"a":', 'nope', '42', '[]', 'null', '"str"', '{"x":1}}')
        .map((bad) => ({ bad })),
    },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t').map((blank) => ({ blank })) },
  );

  it('the reader parses the same values and flags the same malformed lines for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 30 }),
        cuts,
        fc.boolean(),
        async (entries, positions, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const lines = entries.map((e) => ('v' in e ? JSON.stringify(e.v) : 'bad' in e ? e.bad : e.blank));
          const bytes = Buffer.from(lines.map((l) => l + eol).join(''), 'utf8');
          const values: unknown[] = [];
          const valueLines: number[] = [];
          const malformedLines: number[] = [];
          const stats = await startNdjsonReader(Readable.from(cut(bytes, positions)), {
            onValue: (value, lineNo, byteLength) => {
              values.push(value);
              valueLines.push(lineNo);
              expect(byteLength).toBe(Buffer.byteLength(lines[lineNo - 1]!));
            },
            onMalformed: (lineNo) => {
              malformedLines.push(lineNo);
            },
          }).done;
          const expectedValues = entries.flatMap((e) => ('v' in e ? [e.v] : []));
          const lineNos = (pred: (e: (typeof entries)[number]) => boolean) =>
            entries.flatMap((e, i) => (pred(e) ? [i + 1] : []));
          // Compare through JSON: parsing drops -0 and the like exactly as serialising did.
          expect(values).toEqual(expectedValues.map((v) => JSON.parse(JSON.stringify(v))));
          expect(valueLines).toEqual(lineNos((e) => 'v' in e));
          expect(malformedLines).toEqual(lineNos((e) => 'bad' in e));
          expect(stats).toEqual({
            lines: entries.length,
            values: expectedValues.length,
            malformed: malformedLines.length,
            bytes: bytes.length,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the writer produces exactly the written values, in order, under backpressure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (values, flushBytes, highWaterMark, honourBackpressure) => {
          const received: string[] = [];
          const sink = new Writable({
            highWaterMark,
            write(chunk: Buffer, _enc, cb) {
              received.push(chunk.toString('utf8'));
              setImmediate(cb);
            },
          });
          const writer = new NdjsonWriter(sink, { flushBytes, flushIntervalMs: 0 });
          for (const [i, value] of values.entries()) {
            const ok = i % 7 === 3 ? writer.writeNow(value) : writer.write(value);
            if (!ok && honourBackpressure) await writer.drained();
          }
          await writer.end();
          const output = received.join('');
          const lines = output.length === 0 ? [] : output.slice(0, -1).split('\n');
          expect(lines).toEqual(values.map((v) => JSON.stringify(v)));
          expect(writer.linesWritten).toBe(values.length);
          expect(writer.bytesWritten).toBe(Buffer.byteLength(output));
        },
      ),
      { numRuns: 150 },
    );
  });
});
