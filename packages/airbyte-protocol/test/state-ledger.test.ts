import fc from 'fast-check';
import type { AirbyteStateMessage } from '../src/models/index.js';
import { type FlushToken, StateLedger } from '../src/pipeline/state-ledger.js';

const streamState = (name: string, id: number): AirbyteStateMessage => ({
  type: 'STREAM',
  stream: { stream_descriptor: { name }, stream_state: { id } },
});
const globalState = (id: number): AirbyteStateMessage => ({
  type: 'GLOBAL',
  global: { shared_state: { id }, stream_states: [] },
});

describe('StateLedger', () => {
  test('a STREAM state waits for its own stream only', () => {
    const l = new StateLedger();
    l.recordAccepted('a');
    l.recordAccepted('b');
    l.addState(streamState('a', 1), 'a');
    expect(l.releasable()).toEqual([]);
    const t = l.beginFlush('a')!;
    expect(l.releasable()).toEqual([]);
    l.completeFlush(t);
    const out = l.releasable();
    expect(out.map((s) => s.recordCount)).toEqual([1]);
    expect(l.allCommitted()).toBe(false); // b is still buffered
  });

  test('a GLOBAL state waits for every stream and counts all records', () => {
    const l = new StateLedger();
    l.recordAccepted('a');
    l.recordAccepted('b');
    l.recordRejected('b');
    l.addState(globalState(1), null);
    const ta = l.beginFlush('a')!;
    l.completeFlush(ta);
    expect(l.releasable()).toEqual([]);
    l.completeFlush(l.beginFlush('b')!);
    const [released] = l.releasable();
    expect(released?.recordCount).toBe(3);
    expect(released?.rejectedRecordCount).toBe(1);
  });

  test('flushes finishing out of order only advance the watermark when contiguous', () => {
    const l = new StateLedger();
    l.recordAccepted('a');
    const t1 = l.beginFlush('a')!;
    l.recordAccepted('a');
    l.addState(streamState('a', 1), 'a');
    const t2 = l.beginFlush('a')!;
    l.completeFlush(t2);
    expect(l.releasable()).toEqual([]);
    l.completeFlush(t1);
    expect(l.releasable()).toHaveLength(1);
  });

  test('a state with no records before it is released at once, in order', () => {
    const l = new StateLedger();
    l.addState(streamState('a', 1), 'a');
    l.addState(streamState('a', 2), 'a');
    expect(l.releasable().map((s) => (s.message.stream!.stream_state as { id: number }).id)).toEqual([1, 2]);
  });

  type Op =
    | { kind: 'record'; stream: number; reject: boolean }
    | { kind: 'state'; stream: number | null }
    | { kind: 'flush'; stream: number }
    | { kind: 'complete'; pick: number };

  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('record' as const), stream: fc.nat(2), reject: fc.boolean() }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('state' as const),
        stream: fc.option(fc.nat(2), { nil: null }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), stream: fc.nat(2) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }) },
  );

  test('property: never ahead of commits, in order, nothing lost, counts add up', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.boolean(), (ops, useGlobal) => {
        const l = new StateLedger();
        const names = ['s0', 's1', 's2'];
        const inFlight: FlushToken[] = [];
        // model: per stream, sequence numbers of accepted records and which are committed
        const accepted = names.map(() => 0);
        const committed = names.map(() => new Set<number>());
        const tokens = new Map<FlushToken, number>();
        const sent: Array<{ id: number; stream: number | null; need: number[] }> = [];
        const released: number[] = [];
        let totalRecords = 0;
        let countSum = 0;
        let nextId = 0;
        const check = () => {
          for (const r of l.releasable()) {
            const id = (r.message as { id?: number }).id as number;
            const entry = sent.find((s) => s.id === id)!;
            // never ahead of commits
            entry.need.forEach((n, i) => {
              for (let k = 0; k < n; k++) expect(committed[i]!.has(k)).toBe(true);
            });
            released.push(id);
            countSum += r.recordCount;
          }
        };
        for (const o of ops) {
          if (o.kind === 'record') {
            totalRecords++;
            if (o.reject) l.recordRejected(names[o.stream]!);
            else {
              l.recordAccepted(names[o.stream]!);
              accepted[o.stream]!++;
            }
          } else if (o.kind === 'state') {
            const stream = useGlobal ? null : o.stream;
            const id = nextId++;
            const msg = { ...(stream === null ? globalState(id) : streamState(names[stream]!, id)), id };
            const need = names.map((_, i) => (stream === null || stream === i ? accepted[i]! : 0));
            sent.push({ id, stream, need });
            l.addState(msg as AirbyteStateMessage, stream === null ? null : names[stream]!);
          } else if (o.kind === 'flush') {
            const t = l.beginFlush(names[o.stream]!);
            if (t) {
              inFlight.push(t);
              tokens.set(t, o.stream);
            }
          } else if (inFlight.length > 0) {
            const [t] = inFlight.splice(o.pick % inFlight.length, 1);
            for (let k = t!.start; k < t!.end; k++) committed[tokens.get(t!)!]!.add(k);
            l.completeFlush(t!);
          }
          check();
        }
        // drain: flush and complete everything
        for (const n of names) {
          const t = l.beginFlush(n);
          if (t) {
            inFlight.push(t);
            tokens.set(t, names.indexOf(n));
          }
        }
        for (const t of inFlight) {
          for (let k = t.start; k < t.end; k++) committed[tokens.get(t)!]!.add(k);
          l.completeFlush(t);
        }
        check();
        // nothing lost, each once
        expect([...released].sort((a, b) => a - b)).toEqual(sent.map((s) => s.id));
        // order: per stream for STREAM states; global order for GLOBAL
        for (let i = 0; i < names.length; i++) {
          const ids = released.filter((id) => sent.find((s) => s.id === id)!.stream === i);
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
        }
        if (useGlobal) expect(released).toEqual(sent.map((s) => s.id));
        expect(countSum).toBeLessThanOrEqual(totalRecords);
        expect(l.pendingCount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
