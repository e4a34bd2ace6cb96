import { loadSqlParser } from '../sql/parser';
import type { TableRef } from '../core/query-classification.interface';
import { AsyncMemo } from '../core/async-memo';
import { FUNCTIONS_SQL, FUNCTION_OIDS_SQL } from './catalog-sql';
import { functionEffects } from '../sql/dependencies/function-effects';
import type { FunctionDefinition } from '../sql/dependencies/function-effects';
import type { RelationDirectory, RelationInfo } from './relation-directory';
import type { CatalogQuery } from './catalog-query';
import type { TableChange } from '../sql/dependencies/write-reach';

/** Tables some functions change, following the functions they call. */
export interface FunctionChanges {
  changes: TableChange[];
  /** Why part of it cannot be known. */
  unknown?: string;
}

/** One function's own effects, with table names resolved. */
interface ResolvedEffects {
  changes: TableChange[];
  calls: string[];
  unknown?: string;
}

/** A row of FUNCTIONS_SQL: the function as analysis reads it, with its oid and settings. */
interface FunctionRow extends FunctionDefinition {
  oid: string;
  /** pg_proc.proconfig: `SET` clauses of the function, e.g. `search_path=audit, public`. */
  config: string[] | null;
}

/** Functions called through a chain deeper than this are given up as unknown. */
const MAX_FUNCTIONS = 500;

/**
 * Finds what functions change: the function code is parsed once per
 * function (by oid) and the calls it makes are followed, every overload of
 * a called name included, since the parser cannot tell which one runs.
 */
export class FunctionDirectory {
  private readonly oidsByName: AsyncMemo<string, string[]>;
  private readonly effects: AsyncMemo<string, ResolvedEffects>;

  constructor(
    private readonly query: CatalogQuery,
    private readonly relations: RelationDirectory,
    maxEntries: number,
    ttlMs: number,
  ) {
    this.oidsByName = new AsyncMemo(maxEntries, ttlMs);
    this.effects = new AsyncMemo(maxEntries, ttlMs);
  }

  /** What calling these functions (names as the classifier gives them) may change. */
  async changesOfNames(names: readonly string[]): Promise<FunctionChanges> {
    const oids: string[] = [];
    for (const name of names) {
      const found = await this.oidsOf(name);
      if (found.length === 0) return { changes: [], unknown: `function ${name}() is not in the catalog` };
      oids.push(...found);
    }
    return this.changesOfOids(oids);
  }

  /** What these functions (e.g. trigger functions) may change. */
  async changesOfOids(start: readonly string[]): Promise<FunctionChanges> {
    const queue = [...new Set(start)];
    const seen = new Set(queue);
    const changes: TableChange[] = [];
    for (let index = 0; index < queue.length; index++) {
      if (index >= MAX_FUNCTIONS) return { changes, unknown: `more than ${MAX_FUNCTIONS} functions called` };
      const effects = await this.effectsOf(queue[index]);
      if (effects.unknown !== undefined) return { changes, unknown: effects.unknown };
      changes.push(...effects.changes);
      for (const name of effects.calls) {
        const oids = await this.oidsOf(name);
        if (oids.length === 0) return { changes, unknown: `function ${name}() is not in the catalog` };
        for (const oid of oids) {
          if (seen.has(oid)) continue;
          seen.add(oid);
          queue.push(oid);
        }
      }
    }
    return { changes };
  }

  clear(): void {
    this.oidsByName.clear();
    this.effects.clear();
  }

  /** A name written in a function resolves under the function's own search_path when it sets one. */
  private async resolveIn(ref: TableRef, searchPath: string[] | undefined): Promise<RelationInfo | undefined> {
    if (ref.schema !== undefined || searchPath === undefined) return this.relations.resolve(ref);
    for (const schema of searchPath) {
      const relation = await this.relations.resolve({ schema, name: ref.name });
      if (relation) return relation;
    }
    return undefined;
  }

  private oidsOf(name: string): Promise<string[]> {
    return this.oidsByName.get(name, async () => {
      // `a.b.c` is catalog.schema.function: the last two parts matter.
      const parts = name.toLowerCase().split('.');
      const schema = parts.length > 1 ? parts[parts.length - 2] : null;
      const { rows } = await this.query(FUNCTION_OIDS_SQL, [parts[parts.length - 1], schema]);
      return (rows as Array<{ oid: string }>).map((row) => row.oid);
    });
  }

  private effectsOf(oid: string): Promise<ResolvedEffects> {
    return this.effects.get(oid, async () => {
      const { rows } = await this.query(FUNCTIONS_SQL, [[oid]]);
      const row = rows[0] as FunctionRow | undefined;
      if (!row) return { changes: [], calls: [], unknown: `function ${oid} is gone` };
      await loadSqlParser();
      const effects = functionEffects(row);
      if (effects.unknown !== undefined) return { changes: [], calls: [], unknown: effects.unknown };
      const changes: TableChange[] = [];
      const searchPath = functionSearchPath(row.config);
      for (const write of effects.writes) {
        const relation = await this.resolveIn(write.ref, searchPath);
        const label = write.ref.schema ? `${write.ref.schema}.${write.ref.name}` : write.ref.name;
        if (!relation) return { changes: [], calls: [], unknown: `${row.schema}.${row.name}() writes ${label}, which cannot be resolved` };
        for (const event of write.events) changes.push({ table: relation.name, event });
      }
      return { changes, calls: effects.calls };
    });
  }
}

/** The schemas of a function's own `SET search_path`, or undefined when it has none. */
function functionSearchPath(config: string[] | null): string[] | undefined {
  const setting = config?.find((entry) => entry.startsWith('search_path='));
  if (setting === undefined) return undefined;
  return setting
    .slice('search_path='.length)
    .split(',')
    .map((schema) => schema.trim().replace(/^"(.*)"$/, '$1'))
    .filter((schema) => schema !== '' && schema !== '$user' && !schema.startsWith('pg_temp'));
}
