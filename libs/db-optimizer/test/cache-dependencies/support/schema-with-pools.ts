import { Pool } from 'pg';
import { testEnv } from '@db-optimizer/cluster';

/** Pools on the primary for one test file's schema; both connect on first use. */
export interface SchemaWithPools {
  /** Connections with the default search_path: only qualified names, or a function's own SET search_path, find the tables. */
  pool: Pool;
  /** Like the application's connections: the schema first on the search_path, where unqualified names and trigger code find the tables. */
  appPool: Pool;
}

/**
 * This test file's schema on the primary: created and set up with `ddl`
 * (through `pool`) before its tests; after them dropped, with the schemas in
 * `alsoDrop`, and both pools (4 connections each) ended.
 */
export function schemaWithPools(schema: string, ddl: string, { alsoDrop = [] as string[] } = {}): SchemaWithPools {
  const { primaryUrl } = testEnv();
  const pool = new Pool({ connectionString: primaryUrl, max: 4 });
  const appPool = new Pool({ connectionString: primaryUrl, max: 4, options: `-c search_path=${schema},public` });
  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}; ${ddl}`);
  });
  afterAll(async () => {
    await pool.query([schema, ...alsoDrop].map((name) => `DROP SCHEMA IF EXISTS ${name} CASCADE`).join('; '));
    await Promise.all([pool.end(), appPool.end()]);
  });
  return { pool, appPool };
}
