import { LocalCluster } from '@db-optimizer/cluster';
import { startInstance, sql } from '../libs/db-optimizer/test/support/test-module';
import { ResultCacheService } from '@db-optimizer/core';

async function main() {
  const c = await LocalCluster.start();
  const u = c.urls;
  let app: any;
  try {
    await sql(u.DATABASE_PRIMARY_URL, `CREATE TABLE items(id int primary key, qty int);
      INSERT INTO items SELECT g, 0 FROM generate_series(1,10) g;
      CREATE FUNCTION bump(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN UPDATE items SET qty = qty + 1 WHERE id = i; RETURN 1; END $$;`);
    app = await startInstance({
      primaryUrl: u.DATABASE_PRIMARY_URL, readReplicaUrls: [u.DATABASE_READ_REPLICA_URL],
      enableCache: true, cacheTtlSeconds: 60,
    });
    const db = app.db;
    const read = async () => {
      const r = await db.executeOptimizedQuery('SELECT qty FROM items WHERE id = $1', [1], { sessionKey: 's' });
      return `${JSON.stringify(r.rows)} cached=${r.metadata.cached}`;
    };
    console.log('T1 read', await read()); console.log('T1 read', await read());
    // 1. Write via volatile function inside a transaction
    const tx = await db.executeTransactionOptimized(async (t: any) => { await t.query('SELECT bump($1)', [1]); return 1; }, { sessionKey: 's' });
    console.log('tx token', tx.metadata.consistencyToken);
    await db.waitForReplicas(tx.metadata.consistencyToken ?? '0/0').catch(()=>{});
    console.log('T1 after tx write, db has', (await sql(u.DATABASE_PRIMARY_URL, 'SELECT qty FROM items WHERE id=1'))[0]);
    console.log('T1 read after tx write', await read());
    // same via facade
    await db.executeOptimizedQuery('SELECT bump($1)', [1], { sessionKey: 's' });
    console.log('T1b read after facade write', await read());

    // 2. COMMIT of an aborted transaction
    const before = (await sql(u.DATABASE_PRIMARY_URL, 'SELECT count(*)::int n FROM items'))[0];
    const res = await db.executeTransactionOptimized(async (t: any) => {
      await t.query('INSERT INTO items VALUES ($1, 0)', [100]);
      try { await t.query('INSERT INTO items VALUES ($1, 0)', [1]); } catch (e) { console.log('swallowed', (e as Error).message); }
      return 'ok';
    });
    const after = (await sql(u.DATABASE_PRIMARY_URL, 'SELECT count(*)::int n FROM items'))[0];
    console.log('T2 tx returned', res.result, 'rows before', before, 'after', after);

    // 3. batch ordering: volatile writer treated as read
    const b = await db.executeBatchOptimized([
      ['SELECT bump($1)', [2]],
      ['SELECT qty FROM items WHERE id = $1', [2]],
    ], { useCache: false });
    console.log('T3 batch', b.map((x: any) => JSON.stringify(x.rows) + '@' + x.metadata.poolUsed));
  } finally {
    await app?.close().catch((e: any) => console.log('close', e));
    await c.stop();
  }
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
