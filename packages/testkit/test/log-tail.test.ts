import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastLines, stripAnsi, tailFile } from '../src/log-tail.js';
import { removeTempDirs, tempDir } from './helpers.js';

describe('log tail', () => {
  afterAll(removeTempDirs);

  test('lastLines ignores the trailing newline', () => {
    expect(lastLines('a\nb\nc\n', 2)).toBe('b\nc');
    expect(lastLines('a\r\nb', 5)).toBe('a\nb');
    expect(lastLines('', 3)).toBe('');
  });

  test('tailFile returns the last lines of a file larger than the read window', () => {
    const dir = tempDir('tail-');
    const file = join(dir, 'server.log');
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const tail = tailFile(file, 40, 4096);
    const got = tail.split('\n');
    expect(got).toHaveLength(40);
    expect(got[39]).toBe(lines[49_999]);
    expect(got[0]).toBe(lines[49_960]);
  });

  test('colour codes are stripped', () => {
    expect(stripAnsi('\x1b[0m\x1b[1;31m[ERROR]\x1b[m done')).toBe('[ERROR] done');
  });

  test('tailFile of a short file returns it whole, of a missing file an empty string', () => {
    const dir = tempDir('tail-');
    writeFileSync(join(dir, 'a.log'), 'one\ntwo\n');
    expect(tailFile(join(dir, 'a.log'))).toBe('one\ntwo');
    expect(tailFile(join(dir, 'missing.log'))).toBe('');
  });
});
