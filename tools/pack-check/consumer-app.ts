/**
 * The fresh app the packed tarball is installed into: plain CommonJS, no build step,
 * resolving `@db-optimizer/core` from its own node_modules only. It prints one JSON line.
 */
export const CONSUMER_MAIN = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { DbOptimizerModule, DbOptimizerService } = require('@db-optimizer/core');

class AppModule {}
Module({ imports: [DbOptimizerModule.forRoot({ primaryUrl: process.env.DATABASE_URL, primaryPool: { min: 1, max: 2 }, poolResizeIntervalMs: 0 })] })(AppModule);

(async () => {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    const db = app.get(DbOptimizerService);
    const { rows, metadata } = await db.executeOptimizedQuery('SELECT $1::int + 1 AS answer', [41]);
    const viaPool = await db.pool.query('SELECT current_database() AS name');
    const health = require('@db-optimizer/core/health');
    console.log(JSON.stringify({ answer: rows[0].answer, pool: metadata.poolUsed, database: viaPool.rows[0].name, healthEntry: typeof health.DbOptimizerHealthModule }));
  } finally {
    await app.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** The fresh app's manifest: the tarball and the peers an app brings itself. */
export function consumerManifest(tarball: string, peers: Record<string, string>): string {
  return JSON.stringify({ name: 'pack-check-consumer', private: true, dependencies: { '@db-optimizer/core': `file:${tarball}`, ...peers } }, null, 2);
}
