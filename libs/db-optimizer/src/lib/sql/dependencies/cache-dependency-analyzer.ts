import type { QueryClassification, TableRef } from '../../core/query-classification.interface';
import { type DependencyCatalog, type KeyColumn, NOT_HELD, type ReadDependencies, type WriteEffects } from './cache-dependencies.interface';
import { DependencySet } from './dependency-set';
import type { DmlWrite } from './dml-writes';
import { MAX_ROW_KEYS, rowKeysFor } from './row-key';
import { readShape, writeShape } from './statement-shapes';
import { AskedAnswers, isQuestion, walkRead } from './read-dependency-walk';
import type { RowNaming, WriteShape, WriteTarget } from './write-shape';
import { assertNever } from '../../core/assert-never';

/**
 * Tells the result cache what a read depends on and what a committed write
 * invalidates: by row where the statement proves it (a primary key pinned
 * by `=`, `IN` or `= ANY` at the top of WHERE, or given in INSERT ...
 * VALUES), by table otherwise, and everything when the write's reach
 * cannot be known (unparseable text, several statements, DDL on unknown
 * tables, triggers doing dynamic SQL under the flush_all policy).
 *
 * The text is analysed once per classification object; each call only puts
 * its parameters in and asks the (cached) catalog.
 *
 * @example
 * const analyzer = new CacheDependencyAnalyzer(new TableCatalog((sql, params) => pool.query(sql, params)));
 * await analyzer.readDependencies(classifier.classify('SELECT * FROM users WHERE id = $1'), [7]);
 * // { tables: [{ table: 'public.users', rowKeys: ['7'] }] }
 * await analyzer.writeEffects(classifier.classify('DELETE FROM users WHERE id = $1'), [7]);
 * // { flushAll: false, tables: [{ table: 'public.users', rowKeys: ['7'] }, { table: 'public.orders' }] } with ON DELETE CASCADE
 * @publicApi
 */
export class CacheDependencyAnalyzer {
  constructor(private readonly catalog: DependencyCatalog) {}

  /**
   * What the result of a read depends on, or undefined when it must not be
   * cached (not a cacheable single SELECT, a table that does not resolve,
   * a relation whose reads cannot be tracked such as a foreign table).
   */
  async readDependencies(classification: QueryClassification, params: readonly unknown[]): Promise<ReadDependencies | undefined> {
    try {
      return await this.readDependenciesOf(classification, params);
    } catch {
      // The catalog could not be asked (connection lost...): a result whose dependencies are unknown is not cached.
      return undefined;
    }
  }

  /**
   * What a committed write invalidates. Never rejects: when the catalog
   * cannot be asked, everything is flushed. DDL (and anything that flushes)
   * also clears the catalog, whose answers it may have changed.
   */
  async writeEffects(classification: QueryClassification, params: readonly unknown[]): Promise<WriteEffects> {
    try {
      return await this.writeEffectsOf(classification, params);
    } catch (error) {
      this.catalog.clear();
      return flushAll(`the catalog could not be asked (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * `readDependencies` worked out from the catalog answers held now, without waiting, or
   * NOT_HELD when one must be asked (then call `readDependencies`). A read served from
   * memory asks this first, so it waits for nothing.
   */
  heldReadDependencies(classification: QueryClassification, params: readonly unknown[]): ReadDependencies | undefined | typeof NOT_HELD {
    const held = this.catalog.held;
    if (held === undefined) return NOT_HELD;
    try {
      const shape = readShape(classification);
      if (!shape) return undefined;
      const answer = walkRead(shape, params, held);
      return isQuestion(answer) ? NOT_HELD : answer;
    } catch {
      // As readDependencies: unknown dependencies, not cached.
      return undefined;
    }
  }

  /** The same walk as `heldReadDependencies`, asking the catalog for each answer it lacks. */
  private async readDependenciesOf(classification: QueryClassification, params: readonly unknown[]): Promise<ReadDependencies | undefined> {
    const shape = readShape(classification);
    if (!shape) return undefined;
    const answers = new AskedAnswers(this.catalog);
    for (;;) {
      const answer = walkRead(shape, params, answers);
      if (!isQuestion(answer)) return answer;
      await answers.ask(answer);
    }
  }

  private async writeEffectsOf(classification: QueryClassification, params: readonly unknown[]): Promise<WriteEffects> {
    const shape = writeShape(classification);
    switch (shape.kind) {
      case 'none':
        return { flushAll: false, tables: [] };
      case 'flush':
        this.catalog.clear();
        return flushAll(shape.reason);
      case 'ddl':
        return this.ddlEffects(shape.tables);
      case 'dml':
        return this.dmlEffects(shape, params);
      default:
        return assertNever(shape);
    }
  }

  private async ddlEffects(refs: readonly TableRef[]): Promise<WriteEffects> {
    const dependencies = new DependencySet();
    try {
      for (const ref of refs) {
        // Resolved before clear(): a dropped or renamed table is then still known by the name cached reads used.
        const table = await this.catalog.resolve(ref);
        if (table === undefined) return flushAll(`DDL on ${label(ref)}, which no longer resolves`);
        dependencies.addWhole(table);
      }
    } finally {
      this.catalog.clear();
    }
    return { flushAll: false, tables: dependencies.list() };
  }

  private async dmlEffects(shape: Extract<WriteShape, { kind: 'dml' }>, params: readonly unknown[]): Promise<WriteEffects> {
    const dependencies = new DependencySet();
    for (const write of [...shape.targets, ...shape.nested.map((nested): WriteTarget => ({ ref: nested.ref, events: nested.events }))]) {
      const failure = await this.addWrite(dependencies, write, params);
      if (failure) return flushAll(failure);
    }
    const functions = await this.catalog.functionReach(shape.functions);
    if (functions.unknown) return flushAll(functions.reason ?? 'a called function does something unknown');
    for (const table of functions.tables) dependencies.addWhole(table);
    return { flushAll: false, tables: dependencies.list() };
  }

  /** Adds one written table and its reach; returns why everything must go instead, if it must. */
  private async addWrite(dependencies: DependencySet, write: WriteTarget | DmlWrite, params: readonly unknown[]): Promise<string | undefined> {
    const table = await this.catalog.resolve(write.ref);
    if (table === undefined) return `${label(write.ref)} was written but does not resolve to a table`;
    const reach = await this.catalog.writeReach(table, write.events);
    if (reach.unknown) return reach.reason ?? `a write to ${table} does something unknown`;
    const rows = 'rows' in write ? write.rows : undefined;
    // Reached back (self-referencing cascade, trigger writing its own table) or keys rewritten by a BEFORE trigger: the whole table.
    const rowKeys = rows && !reach.keysMayChange && !reach.tables.includes(table) ? await this.writtenKeys(table, rows, params) : undefined;
    if (rowKeys) dependencies.addRows(table, rowKeys);
    else dependencies.addWhole(table);
    for (const reached of reach.tables) dependencies.addWhole(reached);
    return undefined;
  }

  private async writtenKeys(table: string, rows: RowNaming, params: readonly unknown[]): Promise<string[] | undefined> {
    const columns = await this.catalog.keyColumns(table);
    if (!columns) return undefined;
    if (rows.kind === 'pins') {
      // An UPDATE that sets a key column moves rows to keys the text does not name.
      return assignsKey(columns, rows.assigned) ? undefined : rowKeysFor(columns, rows.pins, params);
    }
    if (rows.rows.length > MAX_ROW_KEYS || !conflictStaysOnKeys(columns, rows.conflict)) return undefined;
    const keys = new Set<string>();
    for (const row of rows.rows) {
      const rowKeys = rowKeysFor(columns, row, params);
      if (!rowKeys) return undefined;
      for (const key of rowKeys) keys.add(key);
    }
    return [...keys];
  }
}

/**
 * ON CONFLICT DO NOTHING changes no other row. DO UPDATE updates the row it
 * collides with, which holds the given key only when the conflict target
 * covers every key column, and only while SET leaves the key alone.
 */
function conflictStaysOnKeys(columns: readonly KeyColumn[], conflict: Extract<RowNaming, { kind: 'values' }>['conflict']): boolean {
  if (!conflict || conflict.action === 'nothing') return true;
  const target = conflict.columns;
  if (!target || !columns.every((column) => target.has(column.name))) return false;
  return !assignsKey(columns, conflict.assigned);
}

function assignsKey(columns: readonly KeyColumn[], assigned: ReadonlySet<string>): boolean {
  return columns.some((column) => assigned.has(column.name));
}

function flushAll(reason: string): WriteEffects {
  return { flushAll: true, reason, tables: [] };
}

function label(ref: TableRef): string {
  return ref.schema === undefined ? ref.name : `${ref.schema}.${ref.name}`;
}
