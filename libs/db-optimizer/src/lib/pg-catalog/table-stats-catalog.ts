import type { PoolClient } from 'pg';
import { regclassText } from '../sql/quote';

/** An index as the catalog knows it: its key columns in order (null for an expression key). */
export interface IndexFacts {
  name: string;
  columns: Array<string | null>;
  /** Valid and without a WHERE: it can serve any query on its leading columns. */
  usable: boolean;
}

/** What the rules and the advisor need to know about one table. */
export interface TableFacts {
  schema: string;
  name: string;
  /** `pg_class.reltuples`; undefined when the table was never analyzed or vacuumed. */
  rows?: number;
  indexes: IndexFacts[];
}

/**
 * Table facts by name, looked up in one catalog query. Names are resolved by
 * the server (`to_regclass`), so an unqualified name follows the session's
 * search_path, as the statement itself does. Rules read it from their context.
 *
 * @example
 * const tables = TableStatsCatalog.of([{ schema: 'shop', name: 'orders', rows: 100_000, indexes: [] }]);
 * tables.find(undefined, 'orders')?.rows; // 100000
 * @publicApi
 */
export class TableStatsCatalog {
  static readonly EMPTY = new TableStatsCatalog(new Map());

  private constructor(private readonly byName: ReadonlyMap<string, TableFacts>) {}

  /** Looks the tables up on `client` (any server: primary or standby). Unknown names are left out. */
  static async load(client: PoolClient, tables: ReadonlyArray<{ schema?: string; name: string }>): Promise<TableStatsCatalog> {
    const keys = [...new Set(tables.map((table) => regclassText(table.schema, table.name)))];
    if (keys.length === 0) return TableStatsCatalog.EMPTY;
    const { rows } = await client.query<{ key: string; schema: string; name: string; rows: number; indexes: IndexFacts[] }>(
      TABLE_FACTS_SQL,
      [keys],
    );
    const byName = new Map<string, TableFacts>();
    for (const row of rows) {
      const facts: TableFacts = { schema: row.schema, name: row.name, rows: row.rows >= 0 ? row.rows : undefined, indexes: row.indexes };
      byName.set(row.key, facts);
      byName.set(regclassText(row.schema, row.name), facts);
    }
    return new TableStatsCatalog(byName);
  }

  /** Builds a catalog from known facts (tests, callers that already hold them). */
  static of(tables: readonly TableFacts[]): TableStatsCatalog {
    return new TableStatsCatalog(new Map(tables.map((table) => [regclassText(table.schema, table.name), table])));
  }

  /** The facts of a table as named in a plan (schema known) or a statement (schema as written). */
  find(schema: string | undefined, name: string): TableFacts | undefined {
    const exact = this.byName.get(regclassText(schema, name));
    if (exact || schema) return exact;
    // Unqualified and not looked up by that name: accept a single table of that name.
    const matches = [...new Set(this.byName.values())].filter((table) => table.name === name);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** True when a usable index starts with exactly these columns (in this order). */
  hasIndexLeadingWith(table: TableFacts, columns: readonly string[]): boolean {
    return table.indexes.some(
      (index) => index.usable && columns.length <= index.columns.length && columns.every((column, i) => index.columns[i] === column),
    );
  }
}

// One round trip for every table: pg_class for the row estimate, pg_index for key columns
// (INCLUDE columns left out; attnum 0 is an expression key, hence the LEFT JOIN and its null name).
const TABLE_FACTS_SQL = `
  SELECT r.key, n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS rows,
    COALESCE((
      SELECT json_agg(json_build_object(
        'name', ic.relname,
        'usable', i.indisvalid AND i.indpred IS NULL,
        'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                    WHERE k.ord <= i.indnkeyatts)
      ) ORDER BY ic.relname)
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = c.oid
    ), '[]'::json) AS indexes
  FROM unnest($1::text[]) AS r(key)
  JOIN pg_class c ON c.oid = to_regclass(r.key)
  JOIN pg_namespace n ON n.oid = c.relnamespace`;
