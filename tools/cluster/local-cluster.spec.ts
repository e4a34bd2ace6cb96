import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { LocalCluster } from './local-cluster';
import { isAlive } from './pg-node';
import { testEnv, uniqueSchema } from '../testing/test-env';
import { waitFor } from '../testing/wait-for';

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('LocalCluster (the cluster started by the Jest global setup)', () => {
  const env = testEnv();
  const schema = uniqueSchema('harness');

  afterAll(async () => {
    await withClient(env.primaryUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('has a primary that accepts writes and is not in recovery', async () => {
    await withClient(env.primaryUrl, async (client) => {
      const { rows } = await client.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
      expect(rows[0].recovering).toBe(false);
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, label text)`);
      const inserted = await client.query(`INSERT INTO ${schema}.items VALUES (1, 'first')`);
      expect(inserted.rowCount).toBe(1);
    });
  });

  it.each([
    ['read replica', () => env.readReplicaUrl],
    ['analytics replica', () => env.analyticsUrl],
  ])('has a %s that is a hot standby refusing writes', async (_name, url) => {
    await withClient(url(), async (client) => {
      const { rows } = await client.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
      expect(rows[0].recovering).toBe(true);
      await expect(client.query('CREATE TABLE refused (id int)')).rejects.toMatchObject({ code: '25006' });
    });
  });

  it('replicates a row written on the primary to both standbys', async () => {
    const label = `row-${Date.now()}`;
    await withClient(env.primaryUrl, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.items (id int PRIMARY KEY, label text)`);
      await client.query(`INSERT INTO ${schema}.items VALUES (2, $1)`, [label]);
    });
    for (const url of [env.readReplicaUrl, env.analyticsUrl]) {
      const seen = await withClient(url, (client) =>
        waitFor(
          async () => {
            const { rows } = await client.query(`SELECT label FROM ${schema}.items WHERE id = 2`).catch(() => ({ rows: [] }));
            return rows[0]?.label as string | undefined;
          },
          { what: `row 2 on ${url}` },
        ),
      );
      expect(seen).toBe(label);
    }
  });
});

describe('LocalCluster#stop', () => {
  it('leaves no PostgreSQL process and no folder behind', async () => {
    const cluster = await LocalCluster.start();
    const pids = cluster.nodes.map((node) => node.processId as number);
    expect(pids.every((pid) => typeof pid === 'number' && isAlive(pid))).toBe(true);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(cluster.baseDir)).toBe(false);
    await expect(cluster.stop()).resolves.toBeUndefined();
  });
});
