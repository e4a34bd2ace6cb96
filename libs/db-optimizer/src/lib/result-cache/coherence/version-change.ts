/** Tables (and rows) a read depends on or a write touched; `rowKeys` undefined means the whole table. */
export interface TableScope {
  /** `schema.name`. */
  table: string;
  rowKeys?: readonly string[];
}

/**
 * What one committed write does to the version counters, with the stamp it was given.
 * A whole-table scope bumps `all(T)`; a row scope bumps `wide(T)` and `row(T, k)` per key;
 * `flushAll` bumps the global epoch.
 */
export interface VersionChange {
  stamp: number;
  /** WAL position that includes the write (unknown without replicas: every read then sees the primary). */
  lsn?: bigint;
  /**
   * Set when a write committed with replicas but its position could not be read: the number
   * `ConsistencyTracker.unpositionedMark` gave it (or a later one). Loads of what it changed
   * need the primary until the lag monitor covers that number. Never leaves this instance.
   */
  unpositionedMark?: number;
  flushAll: boolean;
  tables: readonly TableScope[];
}

/** Field of the Redis hash holding the global epoch. */
export const EPOCH_FIELD = 'e';
/** Field of the Redis hash holding `all(T)`. */
export const allField = (table: string): string => `a:${table}`;
/** Field of the Redis hash holding `wide(T)` (also the row floor of an instance that syncs). */
export const wideField = (table: string): string => `w:${table}`;

/** The Redis hash fields a change sets; row versions live only in memory (their table's `wide` covers them). */
export function fieldsOf(change: Pick<VersionChange, 'flushAll' | 'tables'>): string[] {
  if (change.flushAll) return [EPOCH_FIELD];
  const fields = new Set<string>();
  for (const scope of change.tables) fields.add(scope.rowKeys === undefined ? allField(scope.table) : wideField(scope.table));
  return [...fields];
}
