/// <reference types="jest" />
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { NdjsonWriter } from '../src/io/ndjson-writer.js';

/** A Writable that records each chunk it receives and completes writes after `delayMs`. */
class SlowSink extends Writable {
  readonly chunks: string[] = [];
  constructor(
    private readonly delayMs: number,
    highWaterMark = 16,
  ) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    if (this.delayMs === 0) setImmediate(cb);
    else setTimeout(cb, this.delayMs);
  }
  get text(): string {
    return this.chunks.join('');
  }
}

class FailingSink extends Writable {
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    setImmediate(() => cb(error));
  }
}

describe('NdjsonWriter', () => {
  it('buffers lines until flushBytes, then writes one chunk', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushBytes: 20, flushIntervalMs: 0 });
    writer.write({ a: 1 });
    writer.write({ b: 2 });
    expect(sink.chunks).toEqual([]);
    expect(writer.linesWritten).toBe(0);
    expect(writer.bufferedLength).toBe(16);
    writer.write({ c: 3 });
    expect(sink.chunks).toEqual(['{"a":1}\n{"b":2}\n{"c":3}\n']);
    expect(writer.linesWritten).toBe(3);
    expect(writer.bytesWritten).toBe(24);
    await writer.end();
  });

  it('writeNow() writes everything buffered before it, at once', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushIntervalMs: 0 });
    writer.write({ type: 'RECORD' });
    writer.writeNow({ type: 'STATE' });
    expect(sink.chunks).toEqual(['{"type":"RECORD"}\n{"type":"STATE"}\n']);
    writer.writeLineNow('{"type":"TRACE"}');
    expect(writer.linesWritten).toBe(3);
    await writer.flush();
    expect(sink.chunks).toHaveLength(2);
    await writer.end();
  });

  it('immediate: true flushes after every write', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { immediate: true });
    writer.write(1);
    writer.writeLine('"two"');
    expect(writer.linesWritten).toBe(2);
    await writer.flush();
    expect(sink.chunks).toEqual(['1\n', '"two"\n']);
    await writer.end();
  });

  it('flush() resolves after the write callback fired', async () => {
    const sink = new SlowSink(30, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushIntervalMs: 0 });
    writer.write({ a: 1 });
    let flushed = false;
    const promise = writer.flush().then(() => {
      flushed = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(flushed).toBe(false);
    await promise;
    expect(flushed).toBe(true);
    expect(sink.text).toBe('{"a":1}\n');
  });

  it('flushes a trickle after flushIntervalMs', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushIntervalMs: 20 });
    writer.write({ a: 1 });
    expect(sink.chunks).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.chunks).toEqual(['{"a":1}\n']);
    await writer.end();
  });

  it('signals backpressure and resolves drained()', async () => {
    const sink = new SlowSink(5, 8);
    const writer = new NdjsonWriter(sink, { flushBytes: 1, flushIntervalMs: 0 });
    expect(writer.write({ a: 'long enough to exceed the high water mark' })).toBe(false);
    expect(writer.needsDrain).toBe(true);
    await writer.drained();
    expect(writer.needsDrain).toBe(false);
    await expect(writer.drained()).resolves.toBeUndefined();
    await writer.end();
  });

  it('writes all values in order under backpressure', async () => {
    const sink = new SlowSink(1, 64);
    const writer = new NdjsonWriter(sink, { flushBytes: 100, flushIntervalMs: 0 });
    const values = Array.from({ length: 500 }, (_, i) => ({ i, s: 'é'.repeat(i % 7) }));
    let waits = 0;
    for (const value of values) {
      if (!writer.write(value)) {
        waits++;
        await writer.drained();
      }
    }
    await writer.end();
    expect(waits).toBeGreaterThan(0);
    expect(
      sink.text
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l)),
    ).toEqual(values);
    expect(writer.linesWritten).toBe(500);
    expect(writer.bytesWritten).toBe(Buffer.byteLength(sink.text));
  });

  it('ends the output only with endOutput: true', async () => {
    const kept = new SlowSink(0);
    await new NdjsonWriter(kept).end();
    expect(kept.writableEnded).toBe(false);
    const closed = new SlowSink(0);
    const writer = new NdjsonWriter(closed, { endOutput: true });
    writer.write({ last: true });
    await writer.end();
    expect(closed.writableFinished).toBe(true);
    expect(closed.text).toBe('{"last":true}\n');
    expect(() => writer.write({})).toThrow(/after end/);
  });

  it('writeFramed joins head, body (string or byte range) and tail into one line, in order with other writes', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushBytes: 40, flushIntervalMs: 0 });
    const head = Buffer.from('{"d":');
    const tail = Buffer.from(',"t":1}');
    const body = Buffer.from('xx{"name":"Zoë 🙂"}yy');
    writer.write({ first: true });
    writer.writeFramed(head, '{"name":"Zoë 🙂"}', tail);
    writer.writeFramed(head, body, tail, 2, body.length - 2);
    writer.writeFramed(new Uint8Array(0), '"just a body"', new Uint8Array(0));
    writer.writeLine('"last"');
    await writer.end();
    expect(sink.text.split('\n')).toEqual([
      '{"first":true}',
      '{"d":{"name":"Zoë 🙂"},"t":1}',
      '{"d":{"name":"Zoë 🙂"},"t":1}',
      '"just a body"',
      '"last"',
      '',
    ]);
    expect(writer.linesWritten).toBe(5);
    expect(writer.bytesWritten).toBe(Buffer.byteLength(sink.text));
  });

  it('lines larger than the buffer, and many lines crossing buffer ends, arrive whole', async () => {
    const sink = new SlowSink(0, 1 << 20);
    const writer = new NdjsonWriter(sink, { flushBytes: 1000, flushIntervalMs: 0 });
    const big = 'é'.repeat(200_000);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const line = i === 1500 ? JSON.stringify(big) : JSON.stringify({ i, s: '€'.repeat(i % 50) });
      lines.push(line);
      writer.writeLine(line);
    }
    await writer.end();
    expect(sink.text).toBe(`${lines.join('\n')}\n`);
    expect(writer.bytesWritten).toBe(Buffer.byteLength(sink.text));
    // Every chunk handed over is at least flushBytes, except the last one and the ones cut
    // short before a line that does not fit.
    expect(sink.chunks.length).toBeLessThan(3000);
  });

  it('a chunk handed to the stream is never overwritten afterwards', async () => {
    const kept: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        kept.push(chunk);
        cb();
      },
    });
    const writer = new NdjsonWriter(sink, { flushBytes: 10, flushIntervalMs: 0 });
    for (let i = 0; i < 100; i++) writer.writeLine(`"line ${i}"`);
    await writer.end();
    expect(Buffer.concat(kept).toString()).toBe(
      Array.from({ length: 100 }, (_, i) => `"line ${i}"\n`).join(''),
    );
  });

  it('rejects values JSON cannot represent and lines containing a newline', () => {
    const writer = new NdjsonWriter(new SlowSink(0), { flushIntervalMs: 0 });
    expect(() => writer.write(undefined)).toThrow(TypeError);
    expect(() => writer.write(() => 1)).toThrow(TypeError);
    expect(() => writer.writeLine('a\nb')).toThrow(TypeError);
    const nl = Buffer.from('"a\nb"');
    expect(() => writer.writeFramed(Buffer.from('['), nl, Buffer.from(']'))).toThrow(TypeError);
    expect(() => writer.writeFramed(Buffer.from('['), '"a\nb"', Buffer.from(']'))).toThrow(TypeError);
    // A rejected line leaves nothing behind.
    writer.writeLine('"ok"');
    expect(writer.bufferedLength).toBe(5);
  });

  it('reports EPIPE through onError without crashing, and never blocks afterwards', async () => {
    const errors: Error[] = [];
    const sink = new FailingSink();
    const writer = new NdjsonWriter(sink, { onError: (e) => errors.push(e) });
    writer.writeNow({ a: 1 });
    await writer.flush();
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('EPIPE');
    expect(writer.error).toBe(errors[0]);
    expect(writer.write({ b: 2 })).toBe(true);
    await writer.flush();
    await writer.drained();
    await writer.end();
    expect(errors).toHaveLength(1);
  });

  it('survives a real EPIPE on process.stdout', async () => {
    const moduleUrl = new URL('../src/io/ndjson-writer.ts', import.meta.url).href;
    const script = `
      const { NdjsonWriter } = await import(${JSON.stringify(moduleUrl)});
      const writer = new NdjsonWriter(process.stdout, {
        flushBytes: 4096,
        onError: (e) => { process.stderr.write('onError ' + e.code + '\\n'); },
      });
      for (let i = 0; i < 200000 && !writer.error; i++) {
        if (!writer.write({ i, pad: 'x'.repeat(100) })) await writer.drained();
      }
      await writer.end();
      process.stderr.write('finished\\n');
    `;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Read a little, then close our end of the pipe so the child's next writes fail with EPIPE.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('onError EPIPE');
    expect(stderr).toContain('finished');
    expect(code).toBe(0);
  });
});
