/**
 * Runs one catalog query. Any pg-like `query` fits (`(sql, params) => pool.query(sql, params)`,
 * a checked-out client...). Rows are `any` as in pg's own QueryResult, so pool.query is assignable as is.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CatalogQuery = (sql: string, params?: unknown[]) => Promise<{ rows: any[] }>;
