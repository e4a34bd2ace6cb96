import { computeWriteReach } from './write-reach';
import type { DirectEdges } from './write-reach';

describe('computeWriteReach', () => {
  const graph: Record<string, DirectEdges> = {
    'public.customers': {
      next: { DELETE: [{ table: 'public.orders', event: 'DELETE' }], UPDATE: [{ table: 'public.orders', event: 'UPDATE' }] },
      unknown: {},
      keysMayChange: [],
    },
    'public.orders': {
      next: { DELETE: [{ table: 'public.lines', event: 'DELETE' }], UPDATE: [{ table: 'public.audit', event: 'INSERT' }] },
      unknown: {},
      keysMayChange: ['UPDATE'],
    },
    'public.lines': { next: { DELETE: [{ table: 'public.notes', event: 'UPDATE' }] }, unknown: {}, keysMayChange: [] },
    'public.notes': { next: {}, unknown: { UPDATE: 'trigger n runs dynamic SQL' }, keysMayChange: [] },
    'public.audit': { next: {}, unknown: {}, keysMayChange: [] },
    'public.tree': { next: { DELETE: [{ table: 'public.tree', event: 'DELETE' }] }, unknown: {}, keysMayChange: [] },
  };
  const edgesOf = async (table: string): Promise<DirectEdges> => graph[table] ?? { next: {}, unknown: {}, keysMayChange: [] };

  it('follows cascades transitively, per kind of change', async () => {
    await expect(computeWriteReach('public.customers', ['UPDATE'], edgesOf)).resolves.toEqual({ tables: ['public.orders', 'public.audit'], keysMayChange: false });
  });

  it('reports what cannot be known anywhere on the way', async () => {
    await expect(computeWriteReach('public.customers', ['DELETE'], edgesOf)).resolves.toEqual({
      tables: ['public.orders', 'public.lines', 'public.notes'],
      unknownReason: 'trigger n runs dynamic SQL',
      keysMayChange: false,
    });
  });

  it('reaches nothing for a kind of change nothing reacts to', async () => {
    await expect(computeWriteReach('public.customers', ['INSERT'], edgesOf)).resolves.toEqual({ tables: [], keysMayChange: false });
  });

  it('says when BEFORE triggers of the table itself may rewrite keys', async () => {
    await expect(computeWriteReach('public.orders', ['UPDATE'], edgesOf)).resolves.toMatchObject({ keysMayChange: true });
  });

  it('lists the table itself when its own cascade reaches it, and stops there', async () => {
    await expect(computeWriteReach('public.tree', ['DELETE'], edgesOf)).resolves.toEqual({ tables: ['public.tree'], keysMayChange: false });
  });
});
