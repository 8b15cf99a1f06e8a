/// <reference types="jest" />
import { LineSplitter } from '../src/io/line-splitter.js';

type Line = [line: string, lineNo: number, byteLength: number];

function collect(chunks: Array<Buffer | string>, end = true): Line[] {
  const out: Line[] = [];
  const splitter = new LineSplitter((line, lineNo, byteLength) => {
    out.push([line, lineNo, byteLength]);
  });
  for (const chunk of chunks) splitter.push(chunk);
  if (end) splitter.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits lines with 1-based numbers and exact byte lengths', () => {
    expect(collect([Buffer.from('a\nbb\nccc\n')])).toEqual([
      ['a', 1, 1],
      ['bb', 2, 2],
      ['ccc', 3, 3],
    ]);
  });

  it('delivers a final line without a newline only at end()', () => {
    expect(collect([Buffer.from('a\nlast')], false)).toEqual([['a', 1, 1]]);
    expect(collect([Buffer.from('a\nlast')])).toEqual([
      ['a', 1, 1],
      ['last', 2, 4],
    ]);
  });

  it('skips empty and blank lines but counts them', () => {
    expect(collect([Buffer.from('\n  \n\t\r\nx\n\n\ny\n')])).toEqual([
      ['x', 4, 1],
      ['y', 7, 1],
    ]);
  });

  it('keeps lines that only start with whitespace', () => {
    expect(collect([Buffer.from('  {"a":1}\n')])).toEqual([['  {"a":1}', 1, 9]]);
  });

  it('strips CRLF, also when \\r and \\n are in different chunks', () => {
    expect(collect([Buffer.from('a\r'), Buffer.from('\nb\r\n'), Buffer.from('c\r')])).toEqual([
      ['a', 1, 1],
      ['b', 2, 1],
      ['c', 3, 1],
    ]);
  });

  it('keeps a \\r in the middle of a line', () => {
    expect(collect([Buffer.from('a\rb\n')])).toEqual([['a\rb', 1, 3]]);
  });

  it('reassembles multi-byte characters split across chunks', () => {
    const bytes = Buffer.from('é€😀\nß\n');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(collect(chunks)).toEqual([
      ['é€😀', 1, 2 + 3 + 4],
      ['ß', 2, 2],
    ]);
  });

  it('handles a line spanning many chunks', () => {
    const long = 'x'.repeat(100_000);
    const bytes = Buffer.from(`${long}\nend\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
    expect(collect(chunks)).toEqual([
      [long, 1, 100_000],
      ['end', 2, 3],
    ]);
  });

  it('accepts string chunks', () => {
    expect(collect(['a\nü', 'b\n'])).toEqual([
      ['a', 1, 1],
      ['üb', 2, 3],
    ]);
  });

  it('drops a UTF-8 byte order mark at the start only', () => {
    expect(collect([Buffer.from('\ufeff{"a":1}\n\ufeffx\n')])).toEqual([
      ['{"a":1}', 1, 7],
      ['\ufeffx', 2, 4],
    ]);
  });

  it('replaces invalid UTF-8 with U+FFFD and measures the replacement', () => {
    expect(collect([Buffer.from([0x61, 0xff, 0x0a])])).toEqual([['a\ufffd', 1, 4]]);
  });

  it('measures the decoded line when an ASCII chunk follows a dangling partial character', () => {
    // The first chunk ends with half of a 2-byte sequence; the ASCII chunk after it makes the
    // decoder emit U+FFFD, so the second chunk must not take the all-ASCII shortcut.
    expect(collect([Buffer.from([0x61, 0xc3]), Buffer.from('b\n')])).toEqual([['a\ufffdb', 1, 5]]);
  });

  it('pauses when the handler returns false, mid-chunk, and resumes in order', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => {
      seen.push(line);
      return line !== 'b';
    });
    splitter.push(Buffer.from('a\nb\nc\nd'));
    expect(seen).toEqual(['a', 'b']);
    expect(splitter.paused).toBe(true);
    splitter.push(Buffer.from('e\nf\n'));
    splitter.end();
    expect(seen).toEqual(['a', 'b']);
    expect(splitter.finished).toBe(false);
    splitter.resume();
    expect(seen).toEqual(['a', 'b', 'c', 'de', 'f']);
    expect(splitter.finished).toBe(true);
    expect(splitter.lineCount).toBe(5);
  });

  it('pause() from inside the handler stops delivery at once', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => {
      seen.push(line);
      if (line === 'a') splitter.pause();
    });
    splitter.push('a\nb\n');
    expect(seen).toEqual(['a']);
    splitter.resume();
    expect(seen).toEqual(['a', 'b']);
  });

  it('delivers nothing more after discard()', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => {
      seen.push(line);
      if (line === 'b') splitter.discard();
    });
    splitter.push('a\nb\nc\n');
    splitter.push('d\n');
    splitter.resume();
    splitter.end();
    expect(seen).toEqual(['a', 'b']);
  });

  it('rejects push() after end()', () => {
    const splitter = new LineSplitter(() => undefined);
    splitter.end();
    expect(() => splitter.push('x')).toThrow(/after end/);
  });

  it('propagates a handler exception out of push()', () => {
    const splitter = new LineSplitter(() => {
      throw new Error('boom');
    });
    expect(() => splitter.push('a\n')).toThrow('boom');
  });
});
