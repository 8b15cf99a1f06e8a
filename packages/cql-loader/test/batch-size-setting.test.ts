import { batchBytesUnder, parseSizeSetting } from '../src/batching.js';

describe('batch size settings as servers show them', () => {
  it('reads units, bare numbers in the given unit, and Scylla-style quoted values', () => {
    expect(parseSizeSetting('5KiB', 'B')).toBe(5120);
    expect(parseSizeSetting('50 KiB', 'B')).toBe(51_200);
    expect(parseSizeSetting('1MiB', 'B')).toBe(1_048_576);
    expect(parseSizeSetting('512B', 'KiB')).toBe(512);
    expect(parseSizeSetting('5', 'KiB')).toBe(5120);
    expect(parseSizeSetting('"128"', 'KiB')).toBe(131_072);
    expect(parseSizeSetting('lots', 'KiB')).toBeNull();
  });

  it('batches stay at 90% of the warning threshold, never under 1 KiB', () => {
    expect(batchBytesUnder(5120)).toBe(4608);
    expect(batchBytesUnder(100)).toBe(1024);
  });
});
