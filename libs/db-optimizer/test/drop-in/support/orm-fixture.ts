import { MetricsService, type DbOptimizerOptions, type PoolRole } from '@db-optimizer/core';
import type { TestInstance } from '../../support/test-module';
import { cacheOptions, replicatedSchema } from '../../result-cache/support/cache-fixture';

/** Two tables with a foreign key: enough for CRUD, a join and a transaction. */
export const LIBRARY_DDL = `
  CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);
  CREATE TABLE books (id serial PRIMARY KEY, author_id int NOT NULL REFERENCES authors(id), title text NOT NULL, published date);
  INSERT INTO authors (name) VALUES ('Le Guin'), ('Borges');
  INSERT INTO books (author_id, title, published) VALUES (1, 'The Dispossessed', '1974-05-01'), (2, 'Ficciones', '1944-01-01');
`;

/** The schema (replicated to both standbys) and a module instance with the cache on, for one ORM's test file. */
export function libraryFixture(schema: string, extra: Partial<DbOptimizerOptions> = {}): TestInstance {
  return replicatedSchema(schema, LIBRARY_DDL).bootInstance(() => cacheOptions({ redisUrl: undefined, ...extra }));
}

/** Calls per pool, summed over the statements whose normalized text matches `pattern` (case-insensitive). */
export function poolsUsed(instance: TestInstance, pattern: RegExp): Record<PoolRole, number> {
  const totals: Record<PoolRole, number> = { primary: 0, read_replica: 0, analytics: 0 };
  for (const entry of instance.get(MetricsService).getFingerprintStats({ limit: 1000 })) {
    if (!pattern.test(entry.normalizedSql)) continue;
    for (const role of Object.keys(totals) as PoolRole[]) totals[role] += entry.pools[role] ?? 0;
  }
  return totals;
}

/** Cache hits, summed over the statements whose normalized text matches `pattern`. */
export function cacheHits(instance: TestInstance, pattern: RegExp): number {
  return instance
    .get(MetricsService)
    .getFingerprintStats({ limit: 1000 })
    .filter((entry) => pattern.test(entry.normalizedSql))
    .reduce((sum, entry) => sum + entry.cacheHits, 0);
}
