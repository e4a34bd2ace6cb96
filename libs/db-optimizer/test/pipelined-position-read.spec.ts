import { Client, type ClientConfig, type PoolClient } from 'pg';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { ConsistencyTracker } from '../src/lib/routing/consistency-tracker';
import { parseLsn } from '../src/lib/core/lsn';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { PositionFollowUp } from '../src/lib/routing/position-follow-up';
import { sql, startInstance, TestInstance } from './support/test-module';
import { watchSocketWrites } from './support/socket-writes';

type WireClient = PoolClient & { pipeline: boolean };

describe('a lone write reads its WAL position in its own round trip', () => {
  const env = testEnv();
  const schema = uniqueSchema('pipelined_position');
  let instance: TestInstance;
  let tracker: ConsistencyTracker;
  let client: WireClient;
  /** Socket writes of the module's one primary connection. */
  let socketWrites: ReturnType<typeof watchSocketWrites>;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.items (id int PRIMARY KEY, label text NOT NULL); INSERT INTO ${schema}.items SELECT g, 'item' FROM generate_series(1, 4) g`);
    // One primary connection, so the test can watch the socket the writes go through.
    // No EXPLAINs of slow first runs: they would write to the watched socket too.
    instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], primaryPool: { min: 1, max: 1 }, autoExplainSlowQueries: false });
    tracker = instance.get(ConsistencyTracker);
    const pool = instance.get(PoolManagerService).primary;
    client = (await pool.acquire()) as WireClient;
    socketWrites = watchSocketWrites([client]);
    pool.release(client);
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const update = (id: number, label: string) => instance.db.executeOptimizedQuery(`UPDATE ${schema}.items SET label = $2 WHERE id = $1 RETURNING *`, [id, label]);

  it('sends the write and the read in one socket write, and the token covers the write', async () => {
    await update(1, 'warm');
    const [{ lsn: beforeLsn }] = await sql<{ lsn: string }>(env.primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const pipelinedBefore = tracker.pipelinedPositions;
    const sharedBefore = tracker.positionReads.stats;
    socketWrites.reset();

    const { rows, metadata } = await update(1, 'lone');

    expect(rows).toEqual([{ id: 1, label: 'lone' }]);
    expect(socketWrites.count).toBe(1);
    expect(tracker.pipelinedPositions - pipelinedBefore).toBe(1);
    expect(tracker.positionReads.stats).toEqual(sharedBefore);
    expect(parseLsn(metadata.consistencyToken as string)! > parseLsn(beforeLsn)!).toBe(true);
    // A replica at the token has the write.
    await instance.db.waitForReplicas(metadata.consistencyToken as string);
    expect(await sql(env.readReplicaUrl, `SELECT label FROM ${schema}.items WHERE id = 1`)).toEqual([{ label: 'lone' }]);
    // The connection is back in pg's ordinary mode, with nothing in flight.
    expect(client.pipeline).toBe(false);
    expect((await instance.db.executeOptimizedQuery('SELECT 1 AS one', [], { forcePrimary: true })).rows).toEqual([{ one: 1 }]);
  });

  it('gives a failing write its own error and leaves the connection clean', async () => {
    await sql(env.primaryUrl, `ALTER TABLE ${schema}.items ADD CONSTRAINT short_label CHECK (length(label) < 20)`);
    const pipelinedBefore = tracker.pipelinedPositions;

    await expect(update(2, 'a label far too long for the check')).rejects.toMatchObject({ code: '23514' });

    expect(tracker.pipelinedPositions).toBe(pipelinedBefore);
    expect(client.pipeline).toBe(false);
    const { rows, metadata } = await update(2, 'fine');
    expect(rows).toEqual([{ id: 2, label: 'fine' }]);
    expect(metadata.consistencyToken).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(tracker.pipelinedPositions - pipelinedBefore).toBe(1);
  });

  it('does not use a read sent behind an attempt the statement cache then retried', async () => {
    await update(3, 'prepared');
    // The cached statement's result type changes: its next run fails (0A000) and is re-prepared and retried.
    await sql(env.primaryUrl, `ALTER TABLE ${schema}.items ADD COLUMN extra int DEFAULT 7`);
    const pipelinedBefore = tracker.pipelinedPositions;
    const sharedBefore = tracker.positionReads.stats;

    const { rows, metadata } = await update(3, 'retried');

    expect(rows).toEqual([{ id: 3, label: 'retried', extra: 7 }]);
    expect(tracker.pipelinedPositions).toBe(pipelinedBefore);
    expect(tracker.positionReads.stats.reads).toBe(sharedBefore.reads + 1);
    await instance.db.waitForReplicas(metadata.consistencyToken as string);
    expect(await sql(env.readReplicaUrl, `SELECT label FROM ${schema}.items WHERE id = 3`)).toEqual([{ label: 'retried' }]);
    expect(client.pipeline).toBe(false);
  });

  it("reads the position after the write on connections with pg's query_timeout", async () => {
    const timed = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], poolConfig: { query_timeout: 5000 } });
    try {
      const timedTracker = timed.get(ConsistencyTracker);
      const { metadata } = await timed.db.executeOptimizedQuery(`UPDATE ${schema}.items SET label = $2 WHERE id = $1`, [4, 'timed']);

      expect(parseLsn(metadata.consistencyToken as string)).toBeDefined();
      expect(timedTracker.pipelinedPositions).toBe(0);
      expect(timedTracker.positionReads.stats.reads).toBe(1);
    } finally {
      await timed.close();
    }
  });
});

describe('PositionFollowUp on a plain pg client', () => {
  const env = testEnv();
  const clients: Client[] = [];
  const connect = async (config: ClientConfig = {}): Promise<Client> => {
    const client = new Client({ connectionString: env.primaryUrl, ...config });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  });

  /** Hands `statement` to pg the way the statement cache does: submitted, then `afterSubmit`. */
  const send = (followUp: PositionFollowUp, statement: () => Promise<unknown>): Promise<unknown> =>
    followUp.submitting(() => {
      const execution = statement();
      followUp.afterSubmit();
      return execution;
    });

  it('answers the read when pg refuses the statement before sending it, and leaves the connection usable', async () => {
    const client = await connect();
    await client.query({ name: 'taken', text: 'SELECT 1 AS one' });
    const followUp = PositionFollowUp.for(client as unknown as PoolClient) as PositionFollowUp;

    await expect(send(followUp, () => client.query({ name: 'taken', text: 'SELECT 2 AS two' }))).rejects.toThrow(/Prepared statements must be unique/);
    const lsn = await followUp.settle();

    expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(followUp.inDoubt).toBe(false);
    expect((client as unknown as WireClient).pipeline).toBe(false);
    expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('says the connection is in doubt when the read fails, and gives no position', async () => {
    const client = await connect();
    const followUp = PositionFollowUp.for(client as unknown as PoolClient) as PositionFollowUp;
    await client.end();

    await expect(send(followUp, () => client.query('SELECT 1'))).rejects.toThrow(/not queryable|closed/);
    expect(await followUp.settle()).toBeUndefined();
    expect(followUp.inDoubt).toBe(true);
    expect(followUp.doubt).toMatch(/^the position read sent with the write failed \(.*(not queryable|closed).*\); its connection is closed, not reused$/);
  });

  it("is not used on a connection with pg's query_timeout, which in pipeline mode destroys the connection on a late answer", async () => {
    expect(PositionFollowUp.for((await connect({ query_timeout: 5000 })) as unknown as PoolClient)).toBeUndefined();
    expect(PositionFollowUp.for((await connect()) as unknown as PoolClient)).toBeInstanceOf(PositionFollowUp);
  });
});
