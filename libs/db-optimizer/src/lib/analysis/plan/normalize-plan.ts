import type { PlanNodeSummary, PlanSummary } from './plan-node-summary.interface';
import type { RawExplainOutput, RawPlanNode } from './raw-plan.interface';

/** A plan flattened for the rules: summaries and the raw nodes, both indexed by node id. */
export interface NormalizedPlan {
  summary: PlanSummary;
  nodes: PlanNodeSummary[];
  rawNodes: RawPlanNode[];
}

/**
 * Flattens `EXPLAIN (FORMAT JSON)` output depth-first and turns per-loop
 * averages into totals (pev2's rules): rows × loops, time × loops / (workers + 1).
 * Below a Gather, each worker and the leader count as one loop each, so the
 * division gives back the wall-clock share of the node.
 */
export function normalizePlan(output: RawExplainOutput): NormalizedPlan {
  const entry = output[0];
  if (!entry?.Plan) throw new Error('EXPLAIN returned no plan: expected FORMAT JSON output with one statement.');
  const nodes: PlanNodeSummary[] = [];
  const rawNodes: RawPlanNode[] = [];
  visit(entry.Plan, { depth: 0, path: '0', workers: 0 }, nodes, rawNodes);
  subtractChildTimes(nodes);
  const root = nodes[0];
  const analyzed = root.loops !== undefined;
  return {
    summary: {
      analyzed,
      planningTimeMs: entry['Planning Time'],
      executionTimeMs: entry['Execution Time'],
      totalCost: root.totalCost,
      planRows: root.planRows,
      actualRows: root.actualRows,
    },
    nodes,
    rawNodes,
  };
}

interface Position {
  depth: number;
  path: string;
  parentId?: number;
  workers: number;
}

function visit(raw: RawPlanNode, at: Position, nodes: PlanNodeSummary[], rawNodes: RawPlanNode[]): void {
  const node = summarize(raw, nodes.length, at);
  nodes.push(node);
  rawNodes.push(raw);
  // A Gather's children run in every launched worker plus the leader.
  const launched = raw['Workers Launched'] ?? raw['Workers Planned'];
  const childWorkers = launched !== undefined ? launched : at.workers;
  (raw.Plans ?? []).forEach((child, index) =>
    visit(child, { depth: at.depth + 1, path: `${at.path}.${index}`, parentId: node.id, workers: childWorkers }, nodes, rawNodes),
  );
}

function summarize(raw: RawPlanNode, id: number, at: Position): PlanNodeSummary {
  const loops = raw['Actual Loops'];
  const node: PlanNodeSummary = {
    id,
    parentId: at.parentId,
    path: at.path,
    depth: at.depth,
    nodeType: raw['Node Type'],
    parentRelationship: raw['Parent Relationship'],
    relation: raw['Relation Name'],
    schema: raw.Schema,
    alias: raw.Alias,
    index: raw['Index Name'],
    joinType: raw['Join Type'],
    startupCost: raw['Startup Cost'],
    totalCost: raw['Total Cost'],
    planRows: raw['Plan Rows'],
    workers: at.workers,
    sharedHitBlocks: raw['Shared Hit Blocks'],
    sharedReadBlocks: raw['Shared Read Blocks'],
    tempWrittenBlocks: raw['Temp Written Blocks'],
  };
  if (loops !== undefined) {
    node.loops = loops;
    node.actualRows = (raw['Actual Rows'] ?? 0) * loops;
    node.totalTimeMs = ((raw['Actual Total Time'] ?? 0) * loops) / (at.workers + 1);
    if (raw['Rows Removed by Filter'] !== undefined) node.rowsRemovedByFilter = raw['Rows Removed by Filter'] * loops;
    if (raw['Rows Removed by Join Filter'] !== undefined) node.rowsRemovedByJoinFilter = raw['Rows Removed by Join Filter'] * loops;
    if (raw['Heap Fetches'] !== undefined) node.heapFetches = raw['Heap Fetches'];
  }
  addMemory(raw, node);
  return node;
}

function addMemory(raw: RawPlanNode, node: PlanNodeSummary): void {
  const processes = [raw, ...(raw.Workers ?? [])];
  const sortSpaces = processes.filter((process) => typeof process['Sort Space Used'] === 'number');
  if (sortSpaces.length > 0) {
    node.sort = {
      method: raw['Sort Method'],
      spaceUsedKb: Math.max(...sortSpaces.map((process) => process['Sort Space Used'] as number)),
      // A sort that spilled in any worker spilled.
      spaceType: sortSpaces.some((process) => process['Sort Space Type'] === 'Disk') ? 'Disk' : String(raw['Sort Space Type'] ?? 'Memory'),
    };
  }
  if (raw['Hash Batches'] !== undefined) {
    node.hash = {
      batches: raw['Hash Batches'],
      originalBatches: raw['Original Hash Batches'] ?? raw['Hash Batches'],
      peakMemoryKb: raw['Peak Memory Usage'] ?? 0,
    };
  }
  if (raw['HashAgg Batches'] !== undefined) {
    node.hashAgg = {
      batches: raw['HashAgg Batches'],
      diskUsageKb: raw['Disk Usage'] ?? 0,
      peakMemoryKb: raw['Peak Memory Usage'] ?? 0,
    };
  }
}

/** Exclusive time: a node's time minus its children's (never below zero: rounding and parallelism blur it). */
function subtractChildTimes(nodes: PlanNodeSummary[]): void {
  const childTime = new Map<number, number>();
  for (const node of nodes) {
    if (node.parentId !== undefined && node.totalTimeMs !== undefined) {
      childTime.set(node.parentId, (childTime.get(node.parentId) ?? 0) + node.totalTimeMs);
    }
  }
  for (const node of nodes) {
    if (node.totalTimeMs !== undefined) node.exclusiveTimeMs = Math.max(0, node.totalTimeMs - (childTime.get(node.id) ?? 0));
  }
}
