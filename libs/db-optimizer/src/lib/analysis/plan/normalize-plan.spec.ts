import deletePlan from '../rules/fixtures/delete.json';
import indexedLoop from '../rules/fixtures/nested-loop-index.json';
import parallel from '../rules/fixtures/parallel-seq-scan.json';
import { normalizePlan } from './normalize-plan';
import type { RawExplainOutput } from './raw-plan.interface';

describe('normalizePlan', () => {
  it('flattens depth-first with paths, depths and parents', () => {
    const { nodes } = normalizePlan(parallel as RawExplainOutput);
    expect(nodes.map((node) => [node.path, node.depth, node.parentId, node.nodeType])).toEqual([
      ['0', 0, undefined, 'Aggregate'],
      ['0.0', 1, 0, 'Gather'],
      ['0.0.0', 2, 1, 'Aggregate'],
      ['0.0.0.0', 3, 2, 'Seq Scan'],
    ]);
  });

  it('multiplies rows by loops and divides time by the processes under a Gather (pev2)', () => {
    const scan = normalizePlan(parallel as RawExplainOutput).nodes[3];
    // 136 rows and 33197 removed per loop, 3 loops (2 workers + leader), 12.179 ms each in parallel.
    expect(scan).toMatchObject({ workers: 2, loops: 3, actualRows: 408, rowsRemovedByFilter: 99_591, relation: 'orders', schema: 'shop' });
    expect(scan.totalTimeMs).toBeCloseTo(12.179, 3);
  });

  it('multiplies an inner side\'s per-loop time by its loops and keeps heap fetches as a total', () => {
    const inner = normalizePlan(indexedLoop as RawExplainOutput).nodes[2];
    // 1 row per loop as reported (a rounded average: one lookup found nothing), 4999 heap fetches in all.
    expect(inner).toMatchObject({ nodeType: 'Index Only Scan', loops: 5000, actualRows: 5000, heapFetches: 4999 });
    expect(inner.totalTimeMs).toBeCloseTo(5, 3);
  });

  it('computes exclusive time as the node\'s time minus its children\'s, never below zero', () => {
    const { nodes, summary } = normalizePlan(deletePlan as RawExplainOutput);
    expect(nodes[0].exclusiveTimeMs).toBeCloseTo(6.179 - 6.141, 3);
    expect(nodes.every((node) => (node.exclusiveTimeMs ?? 0) >= 0)).toBe(true);
    expect(summary).toMatchObject({ analyzed: true, totalCost: 2397, actualRows: 0 });
    expect(summary.executionTimeMs).toBeGreaterThan(0);
  });

  it('leaves the actual numbers out of a plan that did not run', () => {
    const planned: RawExplainOutput = [{ Plan: { 'Node Type': 'Seq Scan', 'Startup Cost': 0, 'Total Cost': 10, 'Plan Rows': 5 }, 'Planning Time': 0.1 }];
    const { summary, nodes } = normalizePlan(planned);
    expect(summary).toEqual({ analyzed: false, planningTimeMs: 0.1, executionTimeMs: undefined, totalCost: 10, planRows: 5, actualRows: undefined });
    expect(nodes[0].totalTimeMs).toBeUndefined();
  });

  it('refuses output without a plan', () => {
    expect(() => normalizePlan([])).toThrow('EXPLAIN returned no plan');
  });
});
