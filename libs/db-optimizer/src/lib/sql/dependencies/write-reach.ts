import type { WriteEvent } from './cache-dependencies.interface';

/** A change of some kind to some table (canonical name). */
export interface TableChange {
  table: string;
  event: WriteEvent;
}

/** What changing one table does to others, one step deep, per kind of change. */
export interface DirectEdges {
  /** Changes caused directly: foreign-key actions, writes of triggers (and of the functions they call), views' base tables. */
  next: Partial<Record<WriteEvent, TableChange[]>>;
  /** Why the effects of a kind of change cannot be known (a trigger with dynamic SQL, a rule...). */
  unknown: Partial<Record<WriteEvent, string>>;
  /** Kinds of change for which BEFORE ROW triggers or rules may alter the rows a statement names. */
  keysMayChange: WriteEvent[];
}

/** The transitive reach of a change, before the unknown-trigger policy is applied. */
export interface ReachResult {
  tables: string[];
  unknownReason?: string;
  keysMayChange: boolean;
}

/** Past this many (table, event) steps the reach is given up as unknown rather than walked forever. */
export const MAX_REACH_STEPS = 10_000;

/**
 * Follows cascades and trigger writes from one table, breadth first, each
 * (table, event) pair once: a cascading DELETE reaches the child's own
 * ON DELETE children and DELETE triggers, a SET NULL reaches its UPDATE
 * ones. The start table is listed only when something reaches it back (a
 * self-referencing cascade, a trigger writing its own table).
 */
export async function computeWriteReach(
  table: string,
  events: readonly WriteEvent[],
  edgesOf: (table: string) => Promise<DirectEdges>,
): Promise<ReachResult> {
  const start = await edgesOf(table);
  const keysMayChange = events.some((event) => start.keysMayChange.includes(event));
  const queue: TableChange[] = events.map((event) => ({ table, event }));
  const seen = new Set(queue.map(key));
  const reached = new Set<string>();
  let unknownReason: string | undefined;
  for (let index = 0; index < queue.length; index++) {
    if (index >= MAX_REACH_STEPS) return { tables: [...reached], unknownReason: `more than ${MAX_REACH_STEPS} cascade steps`, keysMayChange };
    const change = queue[index];
    const edges = change.table === table ? start : await edgesOf(change.table);
    unknownReason ??= edges.unknown[change.event];
    for (const next of edges.next[change.event] ?? []) {
      reached.add(next.table);
      const nextKey = key(next);
      if (seen.has(nextKey)) continue;
      seen.add(nextKey);
      queue.push(next);
    }
  }
  return unknownReason === undefined ? { tables: [...reached], keysMayChange } : { tables: [...reached], unknownReason, keysMayChange };
}

function key(change: TableChange): string {
  return `${change.event} ${change.table}`;
}
