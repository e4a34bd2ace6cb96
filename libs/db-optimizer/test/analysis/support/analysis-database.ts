import { Pool, PoolClient } from 'pg';
import { waitFor } from '../../../../../tools/testing/wait-for';
import { testEnv, uniqueSchema } from '../../../../../tools/testing/test-env';
import type { ExplainRunner } from '../../../src/lib/analysis/explain-runner.interface';
import { loadSqlParser } from '../../../src/lib/sql/parser';

/**
 * The runner the library builds over its pools, reduced to two `pg` pools.
 * Records which side each call used; closes a client left inside a
 * transaction instead of reusing it, as ManagedPool does.
 */
export class PoolExplainRunner implements ExplainRunner {
  readonly calls: Array<'replica' | 'primary'> = [];

  /** When false, onReplica falls back to the primary, as the library's runner does with no usable replica. */
  replicaUsable = true;

  constructor(
    private readonly primary: Pool,
    private readonly replica: Pool,
  ) {}

  onReplica<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T> {
    this.calls.push('replica');
    return this.replicaUsable ? withClient(this.replica, 'replica', work) : withClient(this.primary, 'primary', work);
  }

  onPrimary<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T> {
    this.calls.push('primary');
    return withClient(this.primary, 'primary', work);
  }
}

async function withClient<T>(
  pool: Pool,
  ranOn: 'replica' | 'primary',
  work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    const result = await work(client, ranOn);
    client.release();
    return result;
  } catch (error) {
    client.release(client.getTransactionStatus?.() !== 'I' ? (error as Error) : undefined);
    throw error;
  }
}

/** A schema of its own on the test cluster, with pools on the primary and the read replica. */
export interface AnalysisDatabase {
  schema: string;
  primary: Pool;
  replica: Pool;
  runner: PoolExplainRunner;
  /** Runs SQL on the primary, then waits until the replica has replayed it. */
  onPrimaryAndReplicated(sql: string): Promise<void>;
}

/**
 * This test file's schema on the cluster, for analysis tests: before the
 * tests, the SQL parser is loaded, the schema created and, with `orders`,
 * filled with that many {@link createOrders} rows; after them, it is dropped
 * and the pools end. The pools connect on first use, so the runner can be
 * handed to an analyzer right away.
 */
export function schemaOnCluster(prefix: string, { orders = 0 } = {}): AnalysisDatabase {
  const env = testEnv();
  const schema = uniqueSchema(prefix);
  // One client each: a follow-up query sees the very connection the analysis used.
  const primary = new Pool({ connectionString: env.primaryUrl, max: 1 });
  const replica = new Pool({ connectionString: env.readReplicaUrl, max: 1 });
  const database: AnalysisDatabase = {
    schema,
    primary,
    replica,
    runner: new PoolExplainRunner(primary, replica),
    async onPrimaryAndReplicated(sql) {
      await primary.query(sql);
      await waitForReplay(primary, replica);
    },
  };
  beforeAll(async () => {
    await loadSqlParser();
    await primary.query(`CREATE SCHEMA ${schema}`);
    if (orders > 0) await createOrders(database, orders);
  });
  afterAll(async () => {
    await primary.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await Promise.all([primary.end(), replica.end()]);
  });
  return database;
}

/**
 * `orders`: `rows` rows, primary key on id. customer_id has 5000 values (20 rows
 * each); b is a function of a (b = a % 100), so `a = x AND b = y` fools the
 * planner's independence assumption by 100x. ANALYZEd, replicated.
 */
async function createOrders(database: AnalysisDatabase, rows: number): Promise<void> {
  await database.onPrimaryAndReplicated(`
    CREATE TABLE ${database.schema}.orders AS
      SELECT i AS id, i % 5000 AS customer_id, i % 500 AS a, (i % 500) % 100 AS b, i % 2 = 0 AS flag,
             md5(i::text) AS email, timestamptz '2024-01-01' - i * interval '1 minute' AS created_at
      FROM generate_series(1, ${rows}) AS i;
    ALTER TABLE ${database.schema}.orders ADD PRIMARY KEY (id);
    ANALYZE ${database.schema}.orders;`);
}

/** Waits until the replica has replayed everything the primary wrote so far. */
export async function waitForReplay(primary: Pool, replica: Pool): Promise<void> {
  // The insert position, not pg_current_wal_lsn(): with synchronous_commit off the last commit may not be written yet.
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  await waitFor(
    async () => (await replica.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [rows[0].lsn])).rows[0].ok,
    { what: 'the replica to replay the setup' },
  );
}
