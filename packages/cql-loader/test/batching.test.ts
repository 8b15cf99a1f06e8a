import { groupOps } from '../src/batching.js';
import type { WriteOp } from '../src/executor.js';

const op = (i: number, bytes: number): WriteOp => ({ query: 'INSERT', params: [i], bytes });
const ids = (groups: WriteOp[][]) => groups.map((g) => g.map((o) => o.params[0]));

describe('groupOps', () => {
  it('one row per request when maxRows is 1', () => {
    expect(ids(groupOps([op(1, 10), op(2, 10)], { maxRows: 1, maxBytes: 4096 }))).toEqual([[1], [2]]);
  });

  it('groups consecutive rows up to maxRows, keeping order', () => {
    const ops = Array.from({ length: 7 }, (_, i) => op(i, 10));
    expect(ids(groupOps(ops, { maxRows: 3, maxBytes: 4096 }))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('closes a request before it would pass maxBytes; a row larger than maxBytes goes alone', () => {
    const ops = [op(0, 100), op(1, 100), op(2, 900), op(3, 5000), op(4, 10)];
    expect(ids(groupOps(ops, { maxRows: 10, maxBytes: 1000 }))).toEqual([[0, 1], [2], [3], [4]]);
  });

  it('nothing in, nothing out', () => {
    expect(groupOps([], { maxRows: 16, maxBytes: 4096 })).toEqual([]);
  });
});
