import type { TableRef } from '../../core/query-classification.interface';
import { ALL_WRITE_EVENTS } from '../../sql/dependencies/cache-dependencies.interface';
import type {
  DependencyCatalog,
  FunctionReach,
  KeyColumn,
  UnknownTriggerPolicy,
  WriteEvent,
  WriteReach,
} from '../../sql/dependencies/cache-dependencies.interface';

/** One table (or view) of an InMemoryTableCatalog. */
export interface InMemoryTable {
  /** Canonical `schema.name`. */
  name: string;
  /** Other canonical names that mean this table (partitions, children): they resolve to `name`. */
  members?: string[];
  /** Primary key, in key order; a bare name is an integer column. */
  primaryKey?: Array<string | KeyColumn>;
  /** What reads depend on; null: reads are not cacheable. @default [name] */
  readTargets?: string[] | null;
  /** Tables reached per kind of write (cascades, trigger writes). */
  reach?: Partial<Record<WriteEvent, string[]>>;
  /** Why writes of these kinds cannot be analysed. */
  unknown?: Partial<Record<WriteEvent, string>>;
  /** Kinds of write for which BEFORE ROW triggers may rewrite keys. */
  keysMayChange?: WriteEvent[];
}

/** Options of InMemoryTableCatalog. */
export interface InMemoryCatalogOptions {
  /** Schemas unqualified names are looked up in, in order. @default ['public'] */
  searchPath?: string[];
  /** What called functions write; names not listed write nothing. */
  functions?: Record<string, { tables?: string[]; unknown?: string }>;
  /** @default 'flush_all' */
  unknownTriggerPolicy?: UnknownTriggerPolicy;
}

/**
 * A DependencyCatalog answered from memory, for unit tests of code that
 * consumes dependency analysis (no PostgreSQL needed). Counts clear() calls.
 *
 * @example
 * const catalog = new InMemoryTableCatalog([{ name: 'public.users', primaryKey: ['id'] }]);
 * const analyzer = new CacheDependencyAnalyzer(catalog);
 */
export class InMemoryTableCatalog implements DependencyCatalog {
  /** How many times clear() was called. */
  clears = 0;
  private readonly byName = new Map<string, InMemoryTable>();
  private readonly searchPath: string[];
  private readonly policy: UnknownTriggerPolicy;

  constructor(
    tables: InMemoryTable[],
    private readonly options: InMemoryCatalogOptions = {},
  ) {
    for (const table of tables) {
      for (const name of [table.name, ...(table.members ?? [])]) this.byName.set(name, table);
    }
    this.searchPath = options.searchPath ?? ['public'];
    this.policy = options.unknownTriggerPolicy ?? 'flush_all';
  }

  async resolve(ref: TableRef): Promise<string | undefined> {
    if (ref.schema !== undefined) return this.byName.get(`${ref.schema}.${ref.name}`)?.name;
    for (const schema of this.searchPath) {
      const table = this.byName.get(`${schema}.${ref.name}`);
      if (table) return table.name;
    }
    return undefined;
  }

  async primaryKey(table: string): Promise<string[] | undefined> {
    return (await this.keyColumns(table))?.map((column) => column.name);
  }

  async keyColumns(table: string): Promise<KeyColumn[] | undefined> {
    const key = this.byName.get(table)?.primaryKey;
    if (!key || key.length === 0) return undefined;
    return key.map((column) => (typeof column === 'string' ? { name: column, type: 'integer' } : column));
  }

  async readTargets(table: string): Promise<string[] | undefined> {
    const entry = this.byName.get(table);
    if (!entry || entry.readTargets === null) return undefined;
    return entry.readTargets ?? [entry.name];
  }

  async writeReach(table: string, events: readonly WriteEvent[] = ALL_WRITE_EVENTS): Promise<WriteReach> {
    const entry = this.byName.get(table);
    const tables = new Set(events.flatMap((event) => entry?.reach?.[event] ?? []));
    const reason = entry ? events.map((event) => entry.unknown?.[event]).find((text) => text !== undefined) : `${table} is unknown`;
    const keysMayChange = events.some((event) => entry?.keysMayChange?.includes(event) ?? false);
    const unknown = reason !== undefined && this.policy === 'flush_all';
    return reason === undefined ? { tables: [...tables], unknown, keysMayChange } : { tables: [...tables], unknown, reason, keysMayChange };
  }

  async functionReach(names: readonly string[]): Promise<FunctionReach> {
    const tables = new Set<string>();
    for (const name of names) {
      const fn = this.options.functions?.[name];
      if (fn?.unknown !== undefined) return { tables: [], unknown: this.policy === 'flush_all', reason: fn.unknown };
      for (const table of fn?.tables ?? []) tables.add(table);
    }
    return { tables: [...tables], unknown: false };
  }

  clear(): void {
    this.clears++;
  }
}
