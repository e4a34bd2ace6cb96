import { BENCH_MULTIPLEX_READS, optimizerInstance, rawPgPool } from '../bench-clients';
import { runLoad } from '../load-generator';
import type { PlannedStep } from '../progress';
import { waitForTableOnReplicas } from '../replication';
import type { BenchRow } from '../report';
import type { WorkloadContext } from './workload-context';

export const KEYS = 2000;
const CALLERS = 32;
export const READ = 'SELECT id, version, payload FROM hot_keys WHERE id = $1';
export const WRITE = 'UPDATE hot_keys SET version = version + 1 WHERE id = $1 RETURNING version';
/** Percent of operations that are writes: issue #5's read-mostly mix, and a write-heavy one. */
export const HOT_KEY_WRITE_PERCENTS = [10, 50];
const RAW = 'pg unnamed';
const MODULE = 'DbOptimizerService (cache on)';
/** The module's clients: its defaults, and with reads that miss the cache sharing connections (`multiplexReads`). */
const MODULE_CLIENTS = [
  { client: MODULE, multiplexReads: 0, staleLine: '' },
  { client: `${MODULE}, multiplexReads ${BENCH_MULTIPLEX_READS}`, multiplexReads: BENCH_MULTIPLEX_READS, staleLine: ', multiplexReads' },
];

const workloadName = (writePercent: number): string => `hot-keys ${100 - writePercent}/${writePercent}`;

/** The steps `hotKeys` runs, in order, for the progress line. */
export function hotKeysSteps(context: Pick<WorkloadContext, 'durationMs' | 'warmupMs'>): PlannedStep[] {
  const estimateMs = context.durationMs + context.warmupMs;
  const clients = [RAW, ...MODULE_CLIENTS.map(({ client }) => client)];
  return HOT_KEY_WRITE_PERCENTS.flatMap((percent) => clients.map((client) => ({ workload: workloadName(percent), client, callers: CALLERS, estimateMs })));
}

/**
 * Issue #5's workload: 2000 hot keys, primary-key reads and updates of one
 * row, 32 callers, at 90/10 and 50/50 reads/writes. Raw pg (unnamed,
 * everything on the primary) against DbOptimizerService with the cache on
 * (primary + replica), with its defaults and with `multiplexReads`. Every
 * read checks that it saw at least the version the last returned write of
 * that key produced before the read started: a lower one is a stale read.
 */
export async function hotKeys(context: WorkloadContext, log: (line: string) => void): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  for (const writePercent of HOT_KEY_WRITE_PERCENTS) {
    const mix = await hotKeysMix(context, writePercent, log);
    rows.push(...mix.rows);
    Object.assign(extra, mix.extra);
  }
  return { rows, extra };
}

async function hotKeysMix(
  context: WorkloadContext,
  writePercent: number,
  log: (line: string) => void,
): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const workload = workloadName(writePercent);
  const isWrite = writeSchedule(writePercent);
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};

  await prepareHotKeys(context.primaryUrl);
  context.progress.begin(workload, RAW, CALLERS);
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
    CALLERS,
    context.durationMs,
    context.warmupMs,
  );
  await pool.end();
  rows.push({ workload, client: RAW, callers: CALLERS, ...raw, notes: `primary only; stale reads ${rawStale}` });
  log(`  ${Math.round(raw.throughput)} ops/s, p99 ${raw.p99Us} µs`);

  for (const { client, multiplexReads, staleLine } of MODULE_CLIENTS) {
    const row = await moduleRun(context, workload, client, multiplexReads, isWrite);
    rows.push(row.row);
    extra[`${workload}${staleLine} stale reads (one instance, must be 0)`] = row.stale;
    log(`  ${client}: ${Math.round(row.row.throughput)} ops/s, p99 ${row.row.p99Us} µs, stale ${row.stale}`);
  }
  return { rows, extra };
}

/** One module client's run of a mix, on a fresh table. */
async function moduleRun(
  context: WorkloadContext,
  workload: string,
  client: string,
  multiplexReads: number,
  isWrite: (caller: number, iteration: number) => boolean,
): Promise<{ row: BenchRow; stale: number }> {
  await prepareHotKeys(context.primaryUrl);
  await waitForTableOnReplicas(context.replicaUrls, 'hot_keys', KEYS);
  context.progress.begin(workload, client, CALLERS);
  const optimizer = await optimizerInstance({
    primaryUrl: context.primaryUrl,
    readReplicaUrls: context.replicaUrls,
    enableCache: true,
    redisUrl: context.redisUrl,
    multiplexReads,
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
    CALLERS,
    context.durationMs,
    context.warmupMs,
  );
  await optimizer.app.close();
  const row: BenchRow = {
    workload,
    client,
    callers: CALLERS,
    ...cached,
    notes: `primary + ${context.replicaUrls.length} replica, ${context.redisUrl ? 'L1 + Redis' : 'L1 only'}; stale reads ${stale}; cache hit ${((cachedReads / Math.max(1, reads)) * 100).toFixed(1)}%`,
  };
  return { row, stale };
}

export const keyFor = (caller: number, iteration: number): number => ((caller * 7919 + iteration * 6007) % KEYS) + 1;

/**
 * Picks `percent` of each caller's operations as writes, by a hash of (caller, iteration).
 * An earlier schedule took every n-th operation, and with `keyFor` stepping by an odd
 * number over an even key count, writes then always fell on keys of one parity and half
 * the reads on keys never written: at 50/50 no read ever met a write. The hash mixes the
 * bits, so writes and reads meet the same keys at every mix.
 */
export function writeSchedule(percent: number): (caller: number, iteration: number) => boolean {
  return (caller, iteration) => mix32(Math.imul(caller, 0x9e3779b1) ^ iteration) % 100 < percent;
}

/** MurmurHash3's 32-bit finalizer: every input bit moves every output bit. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Share of operations a schedule makes writes, and of written keys among all keys, over `operations` per caller. */
export function scheduleMix(percent: number, callers: number, operations: number): { writeShare: number; keysWritten: number; keysRead: number } {
  const isWrite = writeSchedule(percent);
  const written = new Set<number>();
  const read = new Set<number>();
  let writes = 0;
  for (let caller = 0; caller < callers; caller++) {
    for (let iteration = 0; iteration < operations; iteration++) {
      const key = keyFor(caller, iteration);
      if (isWrite(caller, iteration)) {
        writes++;
        written.add(key);
      } else read.add(key);
    }
  }
  return { writeShare: writes / (callers * operations), keysWritten: written.size / KEYS, keysRead: read.size / KEYS };
}

export async function prepareHotKeys(primaryUrl: string): Promise<void> {
  const pool = rawPgPool(primaryUrl);
  await pool.query('DROP TABLE IF EXISTS hot_keys');
  await pool.query('CREATE TABLE hot_keys (id int PRIMARY KEY, version int NOT NULL, payload text NOT NULL)');
  await pool.query(`INSERT INTO hot_keys SELECT g, 0, repeat('x', 100) FROM generate_series(1, ${KEYS}) g`);
  await pool.query('ANALYZE hot_keys');
  await pool.end();
}
