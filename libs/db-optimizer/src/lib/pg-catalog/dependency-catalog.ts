import type { TableRef } from '../core/query-classification.interface';
import { AsyncMemo } from '../core/async-memo';
import { ALL_WRITE_EVENTS, NOT_HELD } from '../sql/dependencies/cache-dependencies.interface';
import type {
  DependencyCatalog,
  FunctionReach,
  HeldReadAnswers,
  KeyColumn,
  TableCatalogOptions,
  UnknownTriggerPolicy,
  WriteEvent,
  WriteReach,
} from '../sql/dependencies/cache-dependencies.interface';
import { FunctionDirectory } from './function-directory';
import { loadKeyColumns } from './key-columns';
import { loadReadTargets } from './read-targets';
import { RelationDirectory } from './relation-directory';
import { loadDirectEdges } from './write-edges';
import type { CatalogQuery } from './catalog-query';
import { computeWriteReach } from '../sql/dependencies/write-reach';
import type { DirectEdges, ReachResult } from '../sql/dependencies/write-reach';

const DEFAULT_MAX_ENTRIES = 2000;
const DEFAULT_TTL_MS = 60_000;

/**
 * What PostgreSQL's catalog says about the tables statements name: their
 * canonical names (schema-qualified, an inheritance tree under its root),
 * primary keys, and how far a write to them reaches through cascading
 * foreign keys, triggers and rules. Every answer is cached (bounded, with a
 * TTL); concurrent look-ups share one query; call clear() after DDL.
 *
 * @example
 * const catalog = new TableCatalog((sql, params) => pool.query(sql, params));
 * await catalog.resolve({ name: 'orders_2024' }); // 'public.orders' (a partition maps to its root)
 * await catalog.writeReach('public.customers'); // { tables: ['public.orders'], unknown: false, keysMayChange: false }
 * @publicApi
 */
export class TableCatalog implements DependencyCatalog {
  private readonly policy: UnknownTriggerPolicy;
  private readonly relations: RelationDirectory;
  private readonly functions: FunctionDirectory;
  private readonly keys: AsyncMemo<string, KeyColumn[]>;
  private readonly reads: AsyncMemo<string, string[]>;
  private readonly edges: AsyncMemo<string, DirectEdges>;
  private readonly reaches: AsyncMemo<string, ReachResult>;
  private readonly functionReaches: AsyncMemo<string, FunctionReach>;

  constructor(
    private readonly query: CatalogQuery,
    options: TableCatalogOptions = {},
  ) {
    this.policy = options.unknownTriggerPolicy ?? 'flush_all';
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
    this.relations = new RelationDirectory(query, max, ttl);
    this.functions = new FunctionDirectory(query, this.relations, max, ttl);
    this.keys = new AsyncMemo(max, ttl);
    this.reads = new AsyncMemo(max, ttl);
    this.edges = new AsyncMemo(max, ttl);
    this.reaches = new AsyncMemo(max, ttl);
    this.functionReaches = new AsyncMemo(max, ttl);
  }

  /** The answers of `resolve`, `readTargets` and `keyColumns` held now (same caches, same expiry), without waiting. */
  readonly held: HeldReadAnswers = {
    resolve: (ref) => {
      const relation = this.relations.heldResolve(ref);
      return relation === NOT_HELD ? NOT_HELD : relation?.name;
    },
    readTargets: (table) => this.heldOf(this.reads, table),
    keyColumns: (table) => this.heldOf(this.keys, table),
  };

  /** Canonical name (`schema.name`, the root of its inheritance tree), or undefined when no relation answers to `ref`. */
  async resolve(ref: TableRef): Promise<string | undefined> {
    return (await this.relations.resolve(ref))?.name;
  }

  /** Primary-key column names in key order, or undefined when the table has no primary key. */
  async primaryKey(table: string): Promise<string[] | undefined> {
    return (await this.keyColumns(table))?.map((column) => column.name);
  }

  /** Primary-key columns with how their values compare. */
  async keyColumns(table: string): Promise<KeyColumn[] | undefined> {
    const relation = await this.relations.ofName(table);
    if (!relation) return undefined;
    return nonEmpty(await this.keys.get(table, async () => (await loadKeyColumns(this.query, relation.oid)) ?? []));
  }

  /** Tables reads of this relation depend on, or undefined when they must not be cached. */
  async readTargets(table: string): Promise<string[] | undefined> {
    const relation = await this.relations.ofName(table);
    if (!relation) return undefined;
    return nonEmpty(
      await this.reads.get(table, async () => {
        const found = await loadReadTargets(this.query, relation, this.relations, (base) => this.readTargets(base.name));
        return found ?? [];
      }),
    );
  }

  /**
   * Tables a write to `table` also changes, transitively: children through
   * ON DELETE/UPDATE CASCADE, SET NULL and SET DEFAULT, tables its triggers
   * write (read from the trigger functions' code), a view's base tables.
   * `unknown` follows unknownTriggerPolicy.
   * @param events the kinds of change (all when omitted): INSERT into a parent cascades nowhere.
   */
  async writeReach(table: string, events: readonly WriteEvent[] = ALL_WRITE_EVENTS): Promise<WriteReach> {
    const result = await this.reaches.get(`${events.join(',')} ${table}`, () => computeWriteReach(table, events, (name) => this.edgesOf(name)));
    return this.withPolicy(result.tables, result.unknownReason, { keysMayChange: result.keysMayChange });
  }

  /** Tables the named functions may change when called, with everything those writes reach in turn. */
  async functionReach(names: readonly string[]): Promise<FunctionReach> {
    if (names.length === 0) return { tables: [], unknown: false };
    const key = [...new Set(names.map((name) => name.toLowerCase()))].sort();
    const reach = await this.functionReaches.get(key.join(' '), () => this.computeFunctionReach(key));
    return this.withPolicy(reach.tables, reach.unknown ? reach.reason : undefined, {});
  }

  /** A per-table answer (`keyColumns`, `readTargets`) as its async method gives it, when it and the table's relation are held. */
  private heldOf<T>(memo: AsyncMemo<string, T[]>, table: string): T[] | undefined | typeof NOT_HELD {
    // The async methods answer undefined for a table that no longer resolves, before looking at the memo.
    if (this.relations.heldOfName(table) === NOT_HELD) return NOT_HELD;
    const answer = memo.peek(table);
    return answer === undefined ? NOT_HELD : nonEmpty(answer);
  }

  /** Forgets every answer: call after DDL (the analyzer does for DDL it sees). */
  clear(): void {
    this.relations.clear();
    this.functions.clear();
    this.keys.clear();
    this.reads.clear();
    this.edges.clear();
    this.reaches.clear();
    this.functionReaches.clear();
  }

  private async computeFunctionReach(names: string[]): Promise<FunctionReach> {
    const { changes, unknown } = await this.functions.changesOfNames(names);
    if (unknown !== undefined) return { tables: [], unknown: true, reason: unknown };
    const tables = new Set<string>();
    for (const change of changes) {
      tables.add(change.table);
      const further = await this.reaches.get(`${change.event} ${change.table}`, () =>
        computeWriteReach(change.table, [change.event], (name) => this.edgesOf(name)),
      );
      if (further.unknownReason !== undefined) return { tables: [], unknown: true, reason: further.unknownReason };
      for (const table of further.tables) tables.add(table);
    }
    return { tables: [...tables], unknown: false };
  }

  private edgesOf(table: string): Promise<DirectEdges> {
    return this.edges.get(table, async () => {
      const relation = await this.relations.ofName(table);
      if (relation) return loadDirectEdges(this.query, relation, this.relations, this.functions);
      const reason = `table ${table} is not in the catalog`;
      return { next: {}, unknown: { INSERT: reason, UPDATE: reason, DELETE: reason, TRUNCATE: reason }, keysMayChange: [] };
    });
  }

  private withPolicy<T extends object>(tables: string[], unknownReason: string | undefined, extra: T): { tables: string[]; unknown: boolean; reason?: string } & T {
    if (unknownReason === undefined) return { tables, unknown: false, ...extra };
    // 'ignore' keeps what is known and reports the rest only for logs.
    return { tables, unknown: this.policy === 'flush_all', reason: unknownReason, ...extra };
  }
}

/** A per-table answer as the memos keep it (an empty list for "none": a memo cannot keep undefined) as callers get it. */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
