import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DbOptimizerModule, DbOptimizerService, ResultCacheService, ResultCacheStats } from '@db-optimizer/core';
import { LocalCluster, resolveRedis, waitFor } from '@db-optimizer/cluster';

/**
 * Issue #18's measurement: what read-your-writes costs the result cache. A hot-key load
 * (90% primary-key reads, 10% updates, `KEYS` keys, `CALLERS` callers) where each caller
 * carries the consistency token of its own last write on its reads, against one instance
 * with Redis. Prints the token-read hit rate with the rule, and the rate the same reads
 * would have had without it ((hits + bypasses) / reads: each bypass skipped an entry older
 * than the token, which the old cache would have served), then a pass without tokens.
 *
 * Run: npm run -s build:run && node dist/run/tools/measure/token-hit-rate.js [durationMs]
 */
const KEYS = 2000;
const CALLERS = 16;
const READ = 'SELECT id, version FROM hot_keys WHERE id = $1';
const WRITE = 'UPDATE hot_keys SET version = version + 1 WHERE id = $1 RETURNING version';

async function main(): Promise<void> {
  const durationMs = Number(process.argv[2] ?? 8000);
  const cluster = await LocalCluster.start();
  const redis = await resolveRedis();
  try {
    await prepare(cluster.primary.url, cluster.readReplica.url);
    const app = await NestFactory.createApplicationContext(
      DbOptimizerModule.forRoot({
        primaryUrl: cluster.primary.url,
        readReplicaUrls: [cluster.readReplica.url],
        enableCache: true,
        redisUrl: redis.url,
        cacheNamespace: `token-hit-rate-${process.pid}`,
        poolResizeIntervalMs: 0,
        primaryPool: { min: 4, max: 16 },
        readReplicaPool: { min: 4, max: 16 },
      }),
      { logger: ['error'] },
    );
    try {
      const db = app.get(DbOptimizerService);
      const cache = app.get(ResultCacheService);
      const withTokens = await run(db, cache, durationMs, true);
      const c = withTokens.stats.consistency;
      console.log(
        `token reads: ${c.reads}, hits ${c.hits}, bypasses ${c.bypasses}; hit rate with the rule ${pct(c.hits, c.reads)}, ` +
          `without it (bypasses served from older entries) ${pct(c.hits + c.bypasses, c.reads)}; ${withTokens.ops} ops, ${withTokens.stale} reads older than their token`,
      );
      const plain = await run(db, cache, durationMs, false);
      const hits = plain.stats.memory.hits + plain.stats.redisLevel.hits - (withTokens.stats.memory.hits + withTokens.stats.redisLevel.hits);
      const lookups = plain.stats.memory.hits + plain.stats.memory.misses - (withTokens.stats.memory.hits + withTokens.stats.memory.misses);
      console.log(`reads without tokens: hit rate ${pct(hits, lookups)} over ${lookups} reads; ${plain.ops} ops`);
    } finally {
      await app.close();
    }
  } finally {
    await redis.stop();
    await cluster.stop();
  }
}

async function run(db: DbOptimizerService, cache: ResultCacheService, durationMs: number, tokens: boolean): Promise<{ ops: number; stale: number; stats: ResultCacheStats }> {
  const deadline = Date.now() + durationMs;
  let ops = 0;
  let stale = 0;
  let seed = 11;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const progress = setInterval(() => console.log(`  ${tokens ? 'with' : 'without'} tokens: ${ops} ops so far`), 2000);
  const caller = async (): Promise<void> => {
    let last: { id: number; version: number; token?: string } | undefined;
    while (Date.now() < deadline) {
      const id = 1 + random(KEYS);
      ops++;
      if (random(10) === 0) {
        const { rows, metadata } = await db.executeOptimizedQuery<{ version: number }>(WRITE, [id]);
        last = { id, version: rows[0].version, token: metadata.consistencyToken };
        continue;
      }
      const readId = last && random(4) === 0 ? last.id : id;
      const { rows } = await db.executeOptimizedQuery<{ version: number }>(READ, [readId], tokens && last?.token ? { consistencyToken: last.token } : {});
      if (tokens && last && readId === last.id && rows[0].version < last.version) stale++;
      // Memory hits resolve in microtasks: let the other callers' I/O in.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: CALLERS }, caller));
  clearInterval(progress);
  return { ops, stale, stats: cache.stats() };
}

async function prepare(primaryUrl: string, replicaUrl: string): Promise<void> {
  const client = new Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS hot_keys; CREATE TABLE hot_keys (id int PRIMARY KEY, version int NOT NULL);
      INSERT INTO hot_keys SELECT g, 0 FROM generate_series(1, ${KEYS}) g`);
  } finally {
    await client.end();
  }
  await waitFor(
    async () => {
      const replica = new Client({ connectionString: replicaUrl });
      await replica.connect();
      try {
        const { rows } = await replica.query<{ n: string }>("SELECT count(*) AS n FROM pg_class WHERE relname = 'hot_keys'");
        if (rows[0].n === '0') return false;
        return (await replica.query<{ n: string }>('SELECT count(*) AS n FROM hot_keys')).rows[0].n === String(KEYS);
      } finally {
        await replica.end();
      }
    },
    { what: 'hot_keys on the replica', timeoutMs: 30_000 },
  );
}

function pct(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
