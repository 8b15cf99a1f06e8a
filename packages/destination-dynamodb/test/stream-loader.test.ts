import { planStream } from '@tributary/airbyte-protocol';
import type { RequestGate, WriteEntry } from '../src/batch-writer.js';
import { ItemMapper, primaryKeyPlan } from '../src/item-mapping/index.js';
import { DynamoStreamLoader } from '../src/stream-loader.js';

const logger = { warn: () => undefined, info: () => undefined } as any;

/** A gate that records what would be sent: batched writes, and conditional single writes. */
function fakeGate(refuse: (key: string) => boolean = () => false) {
  const batched: string[] = [];
  const conditional: string[] = [];
  const gate = {
    client: {
      async send(command: { input: { Item?: any; Key?: any; ConditionExpression?: string } }) {
        const item = command.input.Item ?? command.input.Key;
        const key = `${command.input.Item ? 'put' : 'del'}:${item.k.S}:${item.v?.S ?? ''}`;
        conditional.push(key);
        if (refuse(item.k.S)) {
          throw Object.assign(new Error('The conditional request failed'), {
            name: 'ConditionalCheckFailedException',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return {};
      },
    },
    async batchWrite(_table: string, entries: readonly WriteEntry[]) {
      for (const e of entries) {
        batched.push(
          'put' in e ? `put:${(e.put as any).k.S}:${(e.put as any).v.S}` : `del:${(e.delete as any).k.S}:`,
        );
      }
    },
    async call<T>(
      _action: string,
      _table: string,
      fn: () => Promise<T>,
      retryIf?: (err: unknown) => boolean,
    ) {
      try {
        return await fn();
      } catch (err) {
        if (retryIf && !retryIf(err)) {
          const { explainAwsError } = await import('../src/aws-errors.js');
          throw explainAwsError(err, { action: 'PutItem', endpoint: 'x' });
        }
        throw err;
      }
    },
  } as unknown as RequestGate;
  return { gate, batched, conditional };
}

function loader(gate: RequestGate, opts: { tableWasEmpty: boolean; cursor?: boolean; budget?: number }) {
  const plan = planStream(
    {
      stream: {
        name: 's',
        json_schema: { properties: { k: { type: 'string' } } },
        supported_sync_modes: ['incremental'],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
      primary_key: [['k']],
      cursor_field: opts.cursor === false ? [] : ['c'],
    },
    1,
  );
  const primaryKey = primaryKeyPlan(plan.primaryKey, plan.jsonSchema);
  const mapper = new ItemMapper({
    layout: 'typed',
    dedup: true,
    primaryKey,
    cursorField: plan.cursorField,
    generationId: 0,
    syncId: null,
    syncStartedAt: 1,
  });
  return new DynamoStreamLoader({
    plan,
    table: 't',
    keySchema: primaryKey.attributes,
    mapper,
    gate,
    logger,
    tableWasEmpty: opts.tableWasEmpty,
    dedup: true,
    scanSegments: 1,
    keyBudget: { used: 0, max: opts.budget ?? 1000 },
  });
}

const r = (k: string, c: number, v: string, deleted = false) => ({
  stream: 's',
  data: { k, c, v, ...(deleted ? { _ab_cdc_deleted_at: 'x' } : {}) },
  emitted_at: 1,
});

describe('dedup loader', () => {
  test('in one flush only the latest cursor per key is written; ties go to the later arrival', async () => {
    const f = fakeGate();
    const l = loader(f.gate, { tableWasEmpty: true });
    for (const rec of [
      r('a', 2, 'a2'),
      r('a', 1, 'a1'),
      r('b', 5, 'b5'),
      r('b', 5, 'b5-later'),
      r('c', 1, 'c', true),
    ]) {
      l.write(rec);
    }
    await l.flush();
    expect(f.batched.sort()).toEqual(['del:c:', 'put:a:a2', 'put:b:b5-later']);
    expect(f.conditional).toEqual([]);
  });

  test('across flushes: known keys go fast, older records are dropped without a request', async () => {
    const f = fakeGate();
    const l = loader(f.gate, { tableWasEmpty: true });
    l.write(r('a', 5, 'a5'));
    await l.flush();
    l.write(r('a', 3, 'a3')); // older than what this sync wrote: dropped
    l.write(r('b', 1, 'b1'));
    await l.flush();
    l.write(r('a', 6, 'a6'));
    await l.flush();
    expect(f.batched).toEqual(['put:a:a5', 'put:b:b1', 'put:a:a6']);
    expect(l.stats.superseded).toBe(1);
  });

  test('a table with earlier data: first writes of a key are conditional; refused ones are stale', async () => {
    const f = fakeGate((key) => key === 'old');
    const l = loader(f.gate, { tableWasEmpty: false });
    l.write(r('new', 1, 'n1'));
    l.write(r('old', 1, 'o1'));
    await l.flush();
    expect(f.conditional.sort()).toEqual(['put:new:n1', 'put:old:o1']);
    expect(l.stats.staleRefused).toBe(1);
    // `new` is known now (written with cursor 1): batched. `old` is still unknown: conditional again.
    l.write(r('new', 2, 'n2'));
    l.write(r('old', 2, 'o2'));
    await l.flush();
    expect(f.batched).toEqual(['put:new:n2']);
    expect(f.conditional).toContain('put:old:o2');
  });

  test('no cursor: always batched, the last arrival wins', async () => {
    const f = fakeGate();
    const l = loader(f.gate, { tableWasEmpty: false, cursor: false });
    l.write(r('a', 9, 'first'));
    l.write(r('a', 1, 'second'));
    await l.flush();
    expect(f.batched).toEqual(['put:a:second']);
    expect(f.conditional).toEqual([]);
  });

  test('past the key memory budget a stream forgets its keys and uses conditions', async () => {
    const f = fakeGate();
    const l = loader(f.gate, { tableWasEmpty: true, budget: 2 });
    for (const k of ['a', 'b']) l.write(r(k, 1, k));
    await l.flush();
    l.write(r('c', 1, 'c')); // remembered keys exceed the budget after this flush
    await l.flush();
    l.write(r('a', 2, 'a2'));
    await l.flush();
    expect(f.batched).toEqual(['put:a:a', 'put:b:b', 'put:c:c']);
    expect(f.conditional).toEqual(['put:a:a2']);
  });
});
