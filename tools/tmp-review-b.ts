import { LocalCluster } from '@db-optimizer/cluster';
import { startInstance, sql } from '../libs/db-optimizer/test/support/test-module';

async function main() {
  const c = await LocalCluster.start();
  const u = c.urls;
  let app: any;
  try {
    await sql(u.DATABASE_PRIMARY_URL, `CREATE TABLE items(id int primary key, qty int);
      INSERT INTO items SELECT g, 0 FROM generate_series(1,10) g;
      CREATE FUNCTION bump_slow(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); UPDATE items SET qty = qty + 1 WHERE id = i; RETURN 1; END $$;`);
    app = await startInstance({ primaryUrl: u.DATABASE_PRIMARY_URL, readReplicaUrls: [u.DATABASE_READ_REPLICA_URL], enableCache: true, cacheTtlSeconds: 60 });
    const db = app.db;
    const b = await db.executeBatchOptimized([['SELECT bump_slow($1)', [2]], ['SELECT qty FROM items WHERE id = $1', [2]]], { useCache: false });
    console.log('B batch (write then read, read should see qty=1):', b.map((x: any) => JSON.stringify(x.rows) + '@' + x.metadata.poolUsed));
    const r = (id: unknown) => db.executeOptimizedQuery('SELECT id, qty FROM items WHERE id = $1', [id]).then((x: any) => JSON.stringify(x.rows) + ' cached=' + x.metadata.cached);
    console.log('PK read 50', await r(50), await r(50));
    await db.executeOptimizedQuery('UPDATE items SET id = $1 WHERE id = $2', [50, 3]);
    console.log('PK read 50 after moving row 3 -> 50', await r(50));
    console.log('str read', await r('4'), await r('4'));
    await db.executeOptimizedQuery('UPDATE items SET qty = 9 WHERE id = $1', [4]);
    console.log('str read after update id=4 (number)', await r('4'));
    console.log('read 5', await r(5), await r(5));
    await db.executeOptimizedQuery('INSERT INTO items(id, qty) VALUES ($1, 0) ON CONFLICT (id) DO UPDATE SET qty = 7', [5]);
    console.log('read 5 after upsert', await r(5));
  } finally {
    await app?.close().catch((e: any) => console.log('close', e));
    await c.stop();
  }
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
