/// <reference types="jest" />
import { PassThrough, Readable } from 'node:stream';
import { readLines } from '../src/io/line-reader.js';
import { previewLine, startNdjsonReader } from '../src/io/ndjson-reader.js';

function source(...chunks: string[]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}

interface Malformed {
  lineNo: number;
  error: string;
  preview: string;
}

describe('startNdjsonReader', () => {
  it('parses one object per line and reports counts', async () => {
    const values: Array<[unknown, number, number]> = [];
    const handle = startNdjsonReader(source('{"a":1}\n{"b":', '"é"}\n\n{"c":3}'), {
      onValue: (value, lineNo, byteLength) => {
        values.push([value, lineNo, byteLength]);
      },
    });
    const stats = await handle.done;
    expect(values).toEqual([
      [{ a: 1 }, 1, 7],
      [{ b: 'é' }, 2, 10],
      [{ c: 3 }, 4, 7],
    ]);
    expect(stats).toEqual({ lines: 4, values: 3, malformed: 0, bytes: 27 });
  });

  it('skips malformed lines and non-objects with line numbers and a short preview', async () => {
    const malformed: Malformed[] = [];
    const values: unknown[] = [];
    const long = `{"x": "${'y'.repeat(200)}"`;
    const handle = startNdjsonReader(source(`{"ok":1}\nnot json\n42\n[1]\nnull\n"s"\n${long}\n{"ok":2}\n`), {
      onValue: (value) => {
        values.push(value);
      },
      onMalformed: (lineNo, error, preview) => {
        malformed.push({ lineNo, error, preview });
      },
    });
    const stats = await handle.done;
    expect(values).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(malformed.map((m) => m.lineNo)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(malformed[0]?.preview).toBe('not json');
    expect(malformed[1]?.error).toMatch(/expected a JSON object, got a number/);
    expect(malformed[2]?.error).toMatch(/got an array/);
    expect(malformed[3]?.error).toMatch(/got null/);
    expect(malformed[5]?.preview.length).toBe(80);
    expect(malformed[5]?.preview.endsWith('…')).toBe(true);
    for (const m of malformed) expect(m.error.length).toBeLessThanOrEqual(200);
    expect(stats).toMatchObject({ lines: 8, values: 2, malformed: 6 });
  });

  it('counts malformed lines even without an onMalformed handler', async () => {
    const stats = await startNdjsonReader(source('x\n{}\n'), { onValue: () => undefined }).done;
    expect(stats).toMatchObject({ values: 1, malformed: 1 });
  });

  it('pauses on false, mid-chunk, until resume(), keeping order', async () => {
    const seen: number[] = [];
    const input = new PassThrough();
    const handle = startNdjsonReader(input, {
      onValue: (value) => {
        seen.push((value as { n: number }).n);
        return seen.length % 2 !== 0 ? false : undefined;
      },
    });
    input.end(Buffer.from('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n{"n":5}\n'));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1]);
    expect(handle.paused).toBe(true);
    handle.resume();
    expect(seen).toEqual([1, 2, 3]);
    handle.resume();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    handle.resume();
    const stats = await handle.done;
    expect(stats).toMatchObject({ values: 5, lines: 5 });
  });

  it('pause() holds the input and lines already split', async () => {
    const seen: number[] = [];
    const input = new PassThrough();
    const handle = startNdjsonReader(input, {
      onValue: (value) => {
        seen.push((value as { n: number }).n);
        if (seen.length === 1) handle.pause();
      },
    });
    input.write('{"n":1}\n{"n":2}\n');
    await new Promise((r) => setImmediate(r));
    input.end('{"n":3}\n');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1]);
    handle.resume();
    await handle.done;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stop() resolves with what was read and delivers nothing more', async () => {
    const seen: number[] = [];
    const input = new PassThrough();
    const handle = startNdjsonReader(input, {
      onValue: (value) => {
        seen.push((value as { n: number }).n);
        if (seen.length === 2) handle.stop();
      },
    });
    input.write('{"n":1}\n{"n":2}\n{"n":3}\n');
    const stats = await handle.done;
    input.end('{"n":4}\n');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1, 2]);
    expect(stats).toMatchObject({ values: 2, lines: 2, malformed: 0 });
    expect(input.listenerCount('data')).toBe(0);
  });

  it('rejects done when onValue throws, and stops reading', async () => {
    const seen: number[] = [];
    const input = new PassThrough();
    const handle = startNdjsonReader(input, {
      onValue: (value) => {
        seen.push((value as { n: number }).n);
        if (seen.length === 2) throw new Error('sink failed');
      },
    });
    input.write('{"n":1}\n{"n":2}\n{"n":3}\n');
    await expect(handle.done).rejects.toThrow('sink failed');
    input.end('{"n":4}\n');
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([1, 2]);
  });

  it('rejects done when a throw happens while resuming', async () => {
    const input = new PassThrough();
    let calls = 0;
    const handle = startNdjsonReader(input, {
      onValue: () => {
        calls++;
        if (calls === 1) return false;
        throw new Error('late');
      },
    });
    input.end('{}\n{}\n');
    await new Promise((r) => setImmediate(r));
    expect(() => handle.resume()).not.toThrow();
    await expect(handle.done).rejects.toThrow('late');
  });

  it('rejects done on an input error', async () => {
    const input = new PassThrough();
    const handle = startNdjsonReader(input, { onValue: () => undefined });
    input.destroy(new Error('broken pipe'));
    await expect(handle.done).rejects.toThrow('broken pipe');
  });

  it('finishes when the input is destroyed without an error', async () => {
    const input = new PassThrough();
    const seen: unknown[] = [];
    const handle = startNdjsonReader(input, { onValue: (v) => void seen.push(v) });
    input.write('{"a":1}\n{"b"');
    await new Promise((r) => setImmediate(r));
    input.destroy();
    const stats = await handle.done;
    expect(seen).toEqual([{ a: 1 }]);
    expect(stats).toMatchObject({ values: 1, malformed: 1 });
  });

  it('exposes live stats', async () => {
    const input = new PassThrough();
    const handle = startNdjsonReader(input, { onValue: () => undefined });
    input.write('{}\n{}\n');
    await new Promise((r) => setImmediate(r));
    expect(handle.stats).toMatchObject({ lines: 2, values: 2, bytes: 6 });
    input.end();
    await handle.done;
  });
});

describe('readLines', () => {
  it('delivers raw lines with byte lengths', async () => {
    const lines: Array<[string, number, number]> = [];
    const stats = await readLines(source('α\r\n', '\nβγ'), (line, lineNo, bytes) => {
      lines.push([line, lineNo, bytes]);
    }).done;
    expect(lines).toEqual([
      ['α', 1, 2],
      ['βγ', 3, 4],
    ]);
    expect(stats).toEqual({ lines: 3, bytes: 9 });
  });
});

describe('previewLine', () => {
  it('keeps short lines and cuts long ones to 80 characters', () => {
    expect(previewLine('abc')).toBe('abc');
    expect(previewLine('x'.repeat(80))).toBe('x'.repeat(80));
    expect(previewLine('x'.repeat(81))).toBe(`${'x'.repeat(79)}…`);
  });
});
