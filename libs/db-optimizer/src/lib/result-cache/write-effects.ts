import { MAX_ROW_KEYS_PER_WRITE } from './result-cache.constants';
import { laterLsn } from '../core/lsn';
import type { TableScope, VersionChange } from './coherence/version-change';
import { laterMark } from './coherence/version-stamp';

/** What the dependency analyzer says one committed statement did. */
export interface StatementEffects {
  flushAll: boolean;
  tables: readonly TableScope[];
}

/**
 * One version change for all statements of a commit: everything when any statement
 * needs it; per table, the union of the rows written, or the whole table when any
 * statement wrote it as a whole or the rows are too many to name.
 *
 * @example
 * mergeWriteEffects([{ flushAll: false, tables: [{ table: 'public.t', rowKeys: ['5'] }] }], lsn);
 */
export function mergeWriteEffects(effects: readonly StatementEffects[], lsn: bigint | undefined): Omit<VersionChange, 'stamp'> {
  if (effects.some((effect) => effect.flushAll)) return { flushAll: true, tables: [], lsn };
  const rowsByTable = new Map<string, Set<string> | undefined>();
  for (const effect of effects) {
    for (const scope of effect.tables) {
      const known = rowsByTable.get(scope.table);
      if (scope.rowKeys === undefined || (rowsByTable.has(scope.table) && known === undefined)) {
        rowsByTable.set(scope.table, undefined);
        continue;
      }
      const rows = known ?? new Set<string>();
      for (const key of scope.rowKeys) rows.add(key);
      rowsByTable.set(scope.table, rows.size > MAX_ROW_KEYS_PER_WRITE ? undefined : rows);
    }
  }
  const tables: TableScope[] = [];
  for (const [table, rows] of rowsByTable) tables.push(rows === undefined ? { table } : { table, rowKeys: [...rows] });
  return { flushAll: false, tables, lsn };
}

/**
 * One version change standing for several (writes committed around the same time, or changes
 * applied locally while Redis was down): merged as `mergeWriteEffects` merges a commit's
 * statements, at the latest WAL position among them, marked by the latest write among them
 * whose position is unknown.
 */
export function mergeVersionChanges(changes: ReadonlyArray<Omit<VersionChange, 'stamp'>>): Omit<VersionChange, 'stamp'> {
  return withUnpositionedMark(mergeWriteEffects(changes, latestLsnOf(changes)), latestMarkOf(changes));
}

/** The change marked by a write whose position is unknown (`VersionChange.unpositionedMark`), when there is one. */
export function withUnpositionedMark<C extends Omit<VersionChange, 'stamp'>>(change: C, mark: number | undefined): C {
  return mark === undefined ? change : { ...change, unpositionedMark: mark };
}

/** The latest `unpositionedMark` among changes (undefined when none has one). */
export function latestMarkOf(changes: ReadonlyArray<Pick<VersionChange, 'unpositionedMark'>>): number | undefined {
  return changes.reduce<number | undefined>((latest, change) => laterMark(latest, change.unpositionedMark), undefined);
}

/** The latest WAL position among changes (undefined when none has one). */
export function latestLsnOf(changes: ReadonlyArray<Pick<VersionChange, 'lsn'>>): bigint | undefined {
  return changes.reduce<bigint | undefined>((latest, change) => laterLsn(latest, change.lsn), undefined);
}
