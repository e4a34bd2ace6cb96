import type { TableRef } from '../../core/query-classification.interface';
import { tableRefKey } from '../../core/table-ref-key';
import { type DependencyCatalog, type HeldReadAnswers, type KeyColumn, NOT_HELD, type ReadDependencies } from './cache-dependencies.interface';
import { DependencySet } from './dependency-set';
import type { ReadShape } from './read-shape';
import { rowKeysFor } from './row-key';

/** The first catalog answer a walk found missing: ask for it, then walk again. */
export type ReadQuestion = { kind: 'resolve'; ref: TableRef } | { kind: 'readTargets'; table: string } | { kind: 'keyColumns'; table: string };

/**
 * What a read of `shape` depends on, from the catalog answers `answers` holds: by row where
 * the text pins one stored table's primary key, else every table it reads. Undefined when it
 * must not be cached (a table that does not resolve, or whose reads cannot be tracked); the
 * first missing answer as a question when one is not held. The one walk both the hit path
 * (answers held, nothing awaited) and `CacheDependencyAnalyzer.readDependencies` take.
 */
export function walkRead(shape: ReadShape, params: readonly unknown[], answers: HeldReadAnswers): ReadDependencies | undefined | ReadQuestion {
  const dependencies = new DependencySet();
  for (const ref of shape.tables) {
    const table = answers.resolve(ref);
    if (table === NOT_HELD) return { kind: 'resolve', ref };
    if (table === undefined) return undefined;
    const targets = answers.readTargets(table);
    if (targets === NOT_HELD) return { kind: 'readTargets', table };
    if (!targets) return undefined;
    // Row-level only for a stored table: a view's rows are not its base tables' rows.
    const byRow = shape.rowTarget !== undefined && targets.length === 1 && targets[0] === table;
    const columns = byRow ? answers.keyColumns(table) : undefined;
    if (columns === NOT_HELD) return { kind: 'keyColumns', table };
    const rowKeys = columns && shape.rowTarget ? rowKeysFor(columns, shape.rowTarget.pins, params) : undefined;
    if (rowKeys) dependencies.addRows(table, rowKeys);
    else for (const target of targets) dependencies.addWhole(target);
  }
  return { tables: dependencies.list() };
}

/** Whether a walk stopped at a question. */
export function isQuestion(answer: ReadDependencies | undefined | ReadQuestion): answer is ReadQuestion {
  return answer !== undefined && 'kind' in answer;
}

/**
 * The answers one `readDependencies` call asked the catalog for, before what the catalog holds:
 * each question is asked once, so the walk ends even with a catalog that holds nothing (one
 * without `held`, or with answers that expire at once).
 */
export class AskedAnswers implements HeldReadAnswers {
  private readonly names = new Map<string, string | undefined>();
  private readonly targets = new Map<string, string[] | undefined>();
  private readonly keys = new Map<string, KeyColumn[] | undefined>();

  constructor(private readonly catalog: DependencyCatalog) {}

  resolve(ref: TableRef): string | undefined | typeof NOT_HELD {
    const name = tableRefKey(ref);
    if (this.names.has(name)) return this.names.get(name);
    return this.catalog.held === undefined ? NOT_HELD : this.catalog.held.resolve(ref);
  }

  readTargets(table: string): string[] | undefined | typeof NOT_HELD {
    if (this.targets.has(table)) return this.targets.get(table);
    return this.catalog.held === undefined ? NOT_HELD : this.catalog.held.readTargets(table);
  }

  keyColumns(table: string): KeyColumn[] | undefined | typeof NOT_HELD {
    if (this.keys.has(table)) return this.keys.get(table);
    return this.catalog.held === undefined ? NOT_HELD : this.catalog.held.keyColumns(table);
  }

  /** Asks the catalog the question and keeps its answer. */
  async ask(question: ReadQuestion): Promise<void> {
    switch (question.kind) {
      case 'resolve':
        this.names.set(tableRefKey(question.ref), await this.catalog.resolve(question.ref));
        return;
      case 'readTargets':
        this.targets.set(question.table, await this.catalog.readTargets(question.table));
        return;
      case 'keyColumns':
        this.keys.set(question.table, await this.catalog.keyColumns(question.table));
        return;
    }
  }
}
