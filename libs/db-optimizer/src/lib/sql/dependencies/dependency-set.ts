import type { TableDependency } from './cache-dependencies.interface';

/**
 * Dependencies gathered table by table. A whole-table entry absorbs any row
 * entries of the same table, since it already covers every row.
 */
export class DependencySet {
  /** undefined = the whole table. */
  private readonly tables = new Map<string, Set<string> | undefined>();

  addWhole(table: string): void {
    this.tables.set(table, undefined);
  }

  addRows(table: string, rowKeys: readonly string[]): void {
    if (this.tables.has(table)) {
      const existing = this.tables.get(table);
      if (existing === undefined) return;
      for (const key of rowKeys) existing.add(key);
      return;
    }
    this.tables.set(table, new Set(rowKeys));
  }

  list(): TableDependency[] {
    return [...this.tables].map(([table, rows]) => (rows === undefined ? { table } : { table, rowKeys: [...rows] }));
  }
}
