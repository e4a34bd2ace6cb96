import { optimizerInstance, rawPgPool } from '../bench-clients';
import { runLoad } from '../load-generator';
import { waitForTableOnReplicas } from '../replication';
import type { BenchRow } from '../report';
import type { WorkloadContext } from './primary-key-lookup';

const KEYS = 2000;
const READ = 'SELECT id, version, payload FROM hot_keys WHERE id = $1';
const WRITE = 'UPDATE hot_keys SET version = version + 1 WHERE id = $1 RETURNING version';

/**
 * Issue #5's workload: 2000 hot keys, 90% primary-key reads and 10% updates of
 * one row, 32 callers. Raw pg (unnamed, everything on the primary) against
 * DbOptimizerService with the cache on (primary + replica). Every read checks
 * that it saw at least the version the last returned write of that key
 * produced before the read started: a lower one is a stale read.
 */
export async function hotKeys(context: WorkloadContext, log: (line: string) => void): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  await prepareHotKeys(context.primaryUrl);
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  const callers = 32;

  const pool = rawPgPool(context.primaryUrl);
  const rawVersions = new Int32Array(KEYS + 1);
  let rawStale = 0;
  const raw = await runLoad(
    async (caller, i) => {
      const key = keyFor(caller, i);
      if (isWrite(caller, i)) {
        const { rows: written } = await pool.query<{ version: number }>(WRITE, [key]);
        rawVersions[key] = Math.max(rawVersions[key], written[0].version);
        return;
      }
      const floor = rawVersions[key];
      const { rows: read } = await pool.query<{ version: number }>(READ, [key]);
      if (read[0].version < floor) rawStale++;
    },
    callers,
    context.durationMs,
    context.warmupMs,
  );
  await pool.end();
  rows.push({ workload: 'hot-keys 90/10', client: 'pg unnamed', callers, ...raw, notes: `primary only; stale reads ${rawStale}` });
  log(`hot-keys pg unnamed: ${Math.round(raw.throughput)} ops/s`);

  await prepareHotKeys(context.primaryUrl);
  await waitForTableOnReplicas(context.replicaUrls, 'hot_keys', KEYS);
  const optimizer = await optimizerInstance({
    primaryUrl: context.primaryUrl,
    readReplicaUrls: context.replicaUrls,
    enableCache: true,
    redisUrl: context.redisUrl,
  });
  const versions = new Int32Array(KEYS + 1);
  let stale = 0;
  let cachedReads = 0;
  let reads = 0;
  const cached = await runLoad(
    async (caller, i) => {
      const key = keyFor(caller, i);
      if (isWrite(caller, i)) {
        const { rows: written } = await optimizer.db.executeOptimizedQuery<{ version: number }>(WRITE, [key]);
        versions[key] = Math.max(versions[key], written[0].version);
        return;
      }
      const floor = versions[key];
      const { rows: read, metadata } = await optimizer.db.executeOptimizedQuery<{ version: number }>(READ, [key]);
      reads++;
      if (metadata.cached) cachedReads++;
      if (read[0].version < floor) stale++;
    },
    callers,
    context.durationMs,
    context.warmupMs,
  );
  await optimizer.app.close();
  rows.push({
    workload: 'hot-keys 90/10',
    client: 'DbOptimizerService (cache on)',
    callers,
    ...cached,
    notes: `primary + ${context.replicaUrls.length} replica, ${context.redisUrl ? 'L1 + Redis' : 'L1 only'}; stale reads ${stale}; cache hit ${((cachedReads / Math.max(1, reads)) * 100).toFixed(1)}%`,
  });
  extra['hot-keys stale reads (one instance, must be 0)'] = stale;
  log(`hot-keys DbOptimizerService: ${Math.round(cached.throughput)} ops/s, stale ${stale}`);
  return { rows, extra };
}

const keyFor = (caller: number, iteration: number): number => ((caller * 7919 + iteration * 6007) % KEYS) + 1;
const isWrite = (caller: number, iteration: number): boolean => (caller * 31 + iteration) % 10 === 0;

async function prepareHotKeys(primaryUrl: string): Promise<void> {
  const pool = rawPgPool(primaryUrl);
  await pool.query('DROP TABLE IF EXISTS hot_keys');
  await pool.query('CREATE TABLE hot_keys (id int PRIMARY KEY, version int NOT NULL, payload text NOT NULL)');
  await pool.query(`INSERT INTO hot_keys SELECT g, 0, repeat('x', 100) FROM generate_series(1, ${KEYS}) g`);
  await pool.query('ANALYZE hot_keys');
  await pool.end();
}
