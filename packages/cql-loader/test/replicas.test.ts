import { everyNodeHoldsEveryRow, type ReplicationView } from '../src/replicas.js';

const view = (over: Partial<ReplicationView>): ReplicationView => ({
  strategy: 'org.apache.cassandra.locator.SimpleStrategy',
  strategyOptions: { replication_factor: '1' },
  nodes: 1,
  localNodes: 1,
  localDataCenter: 'dc1',
  ...over,
});

describe('everyNodeHoldsEveryRow', () => {
  it('one node, any factor', () => {
    expect(everyNodeHoldsEveryRow(view({}))).toBe(true);
  });

  it('SimpleStrategy: the factor against every node of the cluster', () => {
    expect(
      everyNodeHoldsEveryRow(view({ strategyOptions: { replication_factor: '3' }, nodes: 3, localNodes: 3 })),
    ).toBe(true);
    expect(
      everyNodeHoldsEveryRow(view({ strategyOptions: { replication_factor: '3' }, nodes: 6, localNodes: 3 })),
    ).toBe(false);
    expect(
      everyNodeHoldsEveryRow(view({ strategyOptions: { replication_factor: '1' }, nodes: 3, localNodes: 3 })),
    ).toBe(false);
  });

  it('NetworkTopologyStrategy: the local data centre factor against its nodes; transient notation', () => {
    const nts = 'org.apache.cassandra.locator.NetworkTopologyStrategy';
    expect(
      everyNodeHoldsEveryRow(
        view({ strategy: nts, strategyOptions: { dc1: '3', dc2: '1' }, nodes: 6, localNodes: 3 }),
      ),
    ).toBe(true);
    expect(
      everyNodeHoldsEveryRow(
        view({ strategy: nts, strategyOptions: { dc1: '3/1' }, nodes: 3, localNodes: 3 }),
      ),
    ).toBe(true);
    expect(
      everyNodeHoldsEveryRow(view({ strategy: nts, strategyOptions: { dc2: '3' }, nodes: 3, localNodes: 3 })),
    ).toBe(false);
    expect(
      everyNodeHoldsEveryRow(view({ strategy: nts, strategyOptions: { dc1: '2' }, nodes: 3, localNodes: 3 })),
    ).toBe(false);
  });

  it('Scylla and other strategies: Everywhere and Local yes, unknown no', () => {
    expect(
      everyNodeHoldsEveryRow(view({ strategy: 'org.apache.cassandra.locator.EverywhereStrategy', nodes: 9 })),
    ).toBe(true);
    expect(everyNodeHoldsEveryRow(view({ strategy: 'com.example.Custom', strategyOptions: {} }))).toBe(false);
  });
});
