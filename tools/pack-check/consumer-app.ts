/** The optional peers only Redis needs; the fresh app installs none of them. */
export const REDIS_STACK = ['ioredis', 'cache-manager', 'cache-manager-ioredis-yet', 'keyv'];

/**
 * The fresh app the packed tarball is installed into: plain CommonJS, no build step,
 * resolving `@db-optimizer/core` from its own node_modules only, without the Redis packages.
 * It starts the module three ways (cache off, cache in memory, Redis configured) and prints one JSON line.
 */
export const CONSUMER_MAIN = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { DbOptimizerModule, DbOptimizerService } = require('@db-optimizer/core');

function boot(options) {
  class AppModule {}
  Module({ imports: [DbOptimizerModule.forRoot({ primaryUrl: process.env.DATABASE_URL, primaryPool: { min: 1, max: 2 }, poolResizeIntervalMs: 0, ...options })] })(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

/** The Redis stack is made of optional peers: this app installed none of them. */
function installed(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

(async () => {
  const result = { redisPackagesInstalled: ${JSON.stringify(REDIS_STACK)}.filter(installed) };
  // The cache off, as most apps start: no Redis package needed.
  let app = await boot({});
  try {
    const db = app.get(DbOptimizerService);
    const { rows, metadata } = await db.executeOptimizedQuery('SELECT $1::int + 1 AS answer', [41]);
    const viaPool = await db.pool.query('SELECT current_database() AS name');
    const health = require('@db-optimizer/core/health');
    Object.assign(result, { answer: rows[0].answer, pool: metadata.poolUsed, database: viaPool.rows[0].name, healthEntry: typeof health.DbOptimizerHealthModule });
  } finally {
    await app.close();
  }
  // The cache on, in memory only: still no Redis package needed.
  app = await boot({ enableCache: true });
  try {
    const db = app.get(DbOptimizerService);
    await db.executeOptimizedQuery('SELECT 2 AS two');
    result.memoryCache = (await db.executeOptimizedQuery('SELECT 2 AS two')).metadata.cached;
  } finally {
    await app.close();
  }
  // Redis configured without its packages: the start fails and says what to install.
  try {
    await (await boot({ enableCache: true, redisUrl: 'redis://127.0.0.1:1' })).close();
    result.withoutRedisPackages = 'started';
  } catch (error) {
    result.withoutRedisPackages = error.message;
  }
  console.log(JSON.stringify(result));
  // Nest hands back no app whose start failed, so its pool cannot be closed and would keep Node alive.
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** The fresh app's manifest: the tarball and the peers an app brings itself. */
export function consumerManifest(tarball: string, peers: Record<string, string>): string {
  return JSON.stringify({ name: 'pack-check-consumer', private: true, dependencies: { '@db-optimizer/core': `file:${tarball}`, ...peers } }, null, 2);
}

/** What the fresh app prints. */
export interface ConsumerResult {
  redisPackagesInstalled?: string[];
  answer?: number;
  pool?: string;
  healthEntry?: string;
  memoryCache?: string | false;
  withoutRedisPackages?: string;
}

/** What is wrong with the fresh app's answer, as sentences; empty when it is right. */
export function consumerProblems(result: ConsumerResult): string[] {
  const problems: string[] = [];
  if (result.redisPackagesInstalled?.length !== 0) problems.push(`the Redis packages should not be installed (optional peers), found ${String(result.redisPackagesInstalled)}`);
  if (result.answer !== 42 || result.pool !== 'primary') problems.push('expected answer 42 from the primary with the cache off');
  if (result.healthEntry !== 'function') problems.push('expected the ./health entry');
  if (result.memoryCache !== 'memory') problems.push('expected a cache hit from memory with the cache on and no Redis');
  if (!result.withoutRedisPackages?.includes('npm install ioredis')) problems.push('expected a start with redisUrl and no Redis packages to fail naming the install');
  return problems;
}
