import { CollectionOp } from '@tributary/scylla-cdc-log-writer';
import {
  CDC_TABLES,
  cdcMutationCount,
  cdcTableShape,
  changesOf,
  expectedChanges,
  planMutations,
  selectsCdc,
  total,
} from '../src/connectors/cdc.js';

const users = cdcTableShape('users');
const orders = cdcTableShape('orders');

describe('expected changes of a mutation (the source rules)', () => {
  test('insert c, update u, row delete d, column delete u', () => {
    expect(changesOf({ type: 'insert', values: { id: 1, name: 'Zoë', email: null } }, users)).toEqual({
      c: 1,
      u: 0,
      d: 0,
    });
    expect(
      changesOf(
        { type: 'update', key: { id: 1 }, set: { roles: CollectionOp.add(['a']), name: 'x' } },
        users,
      ),
    ).toEqual({ c: 0, u: 1, d: 0 });
    expect(changesOf({ type: 'delete', key: { id: 1 } }, users)).toEqual({ c: 0, u: 0, d: 1 });
    expect(changesOf({ type: 'delete', key: { id: 1 }, columns: ['email', 'score'] }, users)).toEqual({
      c: 0,
      u: 1,
      d: 0,
    });
    expect(
      changesOf(
        { type: 'delete', key: { customer_id: 1, order_no: 1 }, columns: [{ column: 'items', key: 'k' }] },
        orders,
      ),
    ).toEqual({ c: 0, u: 1, d: 0 });
  });

  test('partition delete: a delete without clustering key, ignored with one; range deletes ignored', () => {
    expect(changesOf({ type: 'partition-delete', key: { id: 1 } }, users)).toEqual({ c: 0, u: 0, d: 1 });
    expect(changesOf({ type: 'partition-delete', key: { customer_id: 1 } }, orders)).toEqual({
      c: 0,
      u: 0,
      d: 0,
    });
    expect(
      changesOf(
        {
          type: 'range-delete',
          key: { customer_id: 1 },
          start: { value: 0, inclusive: true },
          end: { value: 2, inclusive: true },
        },
        orders,
      ),
    ).toEqual({ c: 0, u: 0, d: 0 });
    expect(changesOf({ type: 'expire-row', key: { customer_id: 1, order_no: 2 } }, orders).d).toBe(1);
    expect(changesOf({ type: 'expire-partition', key: { customer_id: 1 } }, orders).d).toBe(0);
  });

  test('a non-frozen collection set to null is logged one µs later: a change of its own', () => {
    // Alone: one change (at T+1).
    expect(changesOf({ type: 'delete', key: { id: 1 }, columns: ['prefs'] }, users)).toEqual({
      c: 0,
      u: 1,
      d: 0,
    });
    // With other cells: two writes, two changes.
    expect(changesOf({ type: 'update', key: { id: 1 }, set: { prefs: null, name: 'x' } }, users).u).toBe(2);
    expect(changesOf({ type: 'insert', values: { id: 1, roles: null } }, users).c).toBe(2);
    // A frozen or scalar column set to null stays in the write.
    expect(changesOf({ type: 'update', key: { id: 1 }, set: { email: null } }, users).u).toBe(1);
    expect(() => changesOf({ type: 'update', key: { id: 1 }, set: {} }, users)).toThrow(/must set/);
  });

  test('expectedChanges sums per table', () => {
    const e = expectedChanges([
      { table: 'users', mutation: { type: 'insert', values: { id: 1 } } },
      { table: 'users', mutation: { type: 'partition-delete', key: { id: 1 } } },
      { table: 'orders', mutation: { type: 'insert', values: { customer_id: 1, order_no: 1 } } },
      { table: 'orders', mutation: { type: 'partition-delete', key: { customer_id: 1 } } },
    ]);
    expect(e.get('users')).toEqual({ c: 1, u: 0, d: 1 });
    expect(e.get('orders')).toEqual({ c: 1, u: 0, d: 0 });
  });
});

describe('the mutation stream', () => {
  test('a tenth of the records, at least 1,000', () => {
    expect(cdcMutationCount(100)).toBe(1_000);
    expect(cdcMutationCount(20_000)).toBe(2_000);
    expect(cdcMutationCount(100_000)).toBe(10_000);
  });

  test('deterministic, and covers every kind of mutation on both tables', () => {
    const plan = planMutations(1_000);
    expect(plan).toHaveLength(1_000);
    expect(JSON.stringify(planMutations(1_000))).toBe(JSON.stringify(plan));
    const kinds = (table: string) =>
      new Set(
        plan
          .filter((p) => p.table === table)
          .map((p) => {
            const m = p.mutation;
            if (m.type === 'update')
              return Object.values(m.set).some((v) => v instanceof CollectionOp) ? 'collection' : 'update';
            if (m.type === 'delete') return m.columns ? 'column-delete' : 'delete';
            return m.type;
          }),
      );
    expect(kinds('users')).toEqual(
      new Set(['insert', 'update', 'collection', 'column-delete', 'delete', 'partition-delete']),
    );
    expect(kinds('orders')).toEqual(
      new Set([
        'insert',
        'update',
        'collection',
        'column-delete',
        'delete',
        'partition-delete',
        'range-delete',
      ]),
    );
    const json = JSON.stringify(plan.map((p) => p.mutation));
    expect(/[^\x00-\x7f]/.test(json)).toBe(true);
    expect(json).toContain(':null');
    // Some changes are not emitted (partition deletes on orders, range deletes), some are.
    const expected = expectedChanges(plan);
    for (const t of CDC_TABLES) {
      expect(expected.get(t)!.c).toBeGreaterThan(0);
      expect(expected.get(t)!.u).toBeGreaterThan(0);
      expect(expected.get(t)!.d).toBeGreaterThan(0);
    }
    expect(total(expected.get('orders')!)).toBeLessThan(plan.filter((p) => p.table === 'orders').length);
  });

  test('updates and deletes target rows that exist', () => {
    const live = new Set<string>();
    for (const p of planMutations(3_000, 11)) {
      const m = p.mutation;
      const src = m.type === 'insert' ? m.values : m.key;
      const key = p.table === 'users' ? `u${src.id}` : `o${src.customer_id}/${src.order_no}`;
      if (m.type === 'insert') live.add(key);
      else if (m.type === 'update' || (m.type === 'delete' && m.columns)) expect(live.has(key)).toBe(true);
      else if (m.type === 'delete') {
        expect(live.has(key)).toBe(true);
        live.delete(key);
      } else if (m.type === 'partition-delete') {
        if (p.table === 'users') live.delete(key);
        else for (const k of [...live]) if (k.startsWith(`o${src.customer_id}/`)) live.delete(k);
      } else if (m.type === 'range-delete') {
        for (const n of [1, 2]) live.delete(`o${src.customer_id}/${n}`);
      }
    }
  });
});

test('--only selects the CDC source by cdc, scylla-cdc or scylla-cdc-source, not by scylla', () => {
  expect(selectsCdc(null)).toBe(true);
  expect(selectsCdc(['cdc'])).toBe(true);
  expect(selectsCdc(['cassandra', 'scylla-cdc-source'])).toBe(true);
  expect(selectsCdc(['scylla'])).toBe(false);
  expect(selectsCdc(['cassandra', 'dynamodb'])).toBe(false);
});
