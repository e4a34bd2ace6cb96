import { cpus } from 'node:os';
import { ResultCacheService } from '@db-optimizer/core';
import { optimizerInstance, rawPgPool, UNSHARED_READS } from '../bench-clients';
import { LoadResult, Operation, runInterleaved } from '../load-generator';
import type { PlannedStep } from '../progress';
import { waitForTableOnReplicas } from '../replication';
import type { BenchRow } from '../report';
import { serverBoundThroughput } from '../server-cpu';
import type { WorkloadContext } from './workload-context';

export const KEYS = 2000;
const CALLERS = 32;
export const READ = readOf('hot_keys');
export const WRITE = writeOf('hot_keys');
/** Percent of operations that are writes: issue #5's read-mostly mix, and a write-heavy one. */
export const HOT_KEY_WRITE_PERCENTS = [10, 50];
/** Rounds the clients of a mix take turns in (see `runInterleaved`). */
const HOT_KEY_ROUNDS = 4;
const RAW = 'pg unnamed';
const MODULE = 'DbOptimizerService (cache on)';
const INTERLEAVED = 'every client, interleaved';

/**
 * The clients of a mix, each on its own table: they take turns, and a client must not see
 * rows another one changed behind its cache. The module's are its defaults (reads that miss the
 * cache share connections), every read on a connection of its own (`multiplexReads: 0`), and the
 * defaults without Redis (memory only, issue #13's second target); each has its own cache
 * namespace, so none processes another's Redis messages in this one process.
 */
const MODULE_CLIENTS = [
  { client: MODULE, table: 'hot_keys', multiplexReads: undefined, memoryOnly: false, staleLine: '' },
  {
    client: `${MODULE}, multiplexReads ${UNSHARED_READS}`,
    table: 'hot_keys_unshared',
    multiplexReads: UNSHARED_READS,
    memoryOnly: false,
    staleLine: ', unshared',
  },
  { client: `${MODULE}, memory only`, table: 'hot_keys_memory', multiplexReads: undefined, memoryOnly: true, staleLine: ', memory only' },
];
const RAW_TABLE = 'hot_keys_raw';

function readOf(table: string): string {
  return `SELECT id, version, payload FROM ${table} WHERE id = $1`;
}

function writeOf(table: string): string {
  return `UPDATE ${table} SET version = version + 1 WHERE id = $1 RETURNING version`;
}

const workloadName = (writePercent: number): string => `hot-keys ${100 - writePercent}/${writePercent}`;

/** The steps `hotKeys` runs, in order, for the progress line: one per mix, every client in it. */
export function hotKeysSteps(context: Pick<WorkloadContext, 'durationMs' | 'warmupMs'>): PlannedStep[] {
  const estimateMs = (1 + MODULE_CLIENTS.length) * (context.durationMs + context.warmupMs);
  return HOT_KEY_WRITE_PERCENTS.map((percent) => ({ workload: workloadName(percent), client: INTERLEAVED, callers: CALLERS, estimateMs }));
}

/**
 * Issue #5's workload: 2000 hot keys, primary-key reads and updates of one
 * row, 32 callers, at 90/10 and 50/50 reads/writes. Raw pg (unnamed,
 * everything on the primary) against DbOptimizerService with the cache on
 * (primary + replica), with its defaults and with `multiplexReads: 0`. The
 * clients take turns in rounds, so a slow spell of the shared machine lands on
 * each of them. Every read checks that it saw at least the version the last
 * returned write of that key produced before the read started: a lower one is
 * a stale read.
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

/** What one client of a mix read and saw while it ran. */
interface MixClient {
  client: string;
  operation: Operation;
  stale: () => number;
  notes: () => string;
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
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const raw = await rawClient(context, isWrite, closers);
    const modules: MixClient[] = [];
    for (const settings of MODULE_CLIENTS) modules.push(await moduleClient(context, settings, isWrite, closers));
    context.progress.begin(workload, INTERLEAVED, CALLERS);
    const clients = [raw, ...modules];
    const results = await runInterleaved(clients, CALLERS, context.durationMs, context.warmupMs, HOT_KEY_ROUNDS);
    const rawResult = results.get(RAW)!;
    for (const client of clients) {
      const result = results.get(client.client)!;
      rows.push({ workload, client: client.client, callers: CALLERS, ...result, notes: client.notes() });
      log(`  ${client.client}: ${Math.round(result.throughput)} ops/s, p99 ${result.p99Us} µs, stale ${client.stale()}`);
    }
    const perWrite = clients.map((client) => replicationPerWrite(results.get(client.client)!, writePercent));
    if (perWrite.every((us) => us !== undefined)) {
      extra[`${workload} replication CPU per write (µs; ${clients.map((client) => client.client).join(' · ')})`] = perWrite.join(' · ');
    }
    modules.forEach((client, index) => {
      const { staleLine } = MODULE_CLIENTS[index];
      extra[`${workload}${staleLine} stale reads (one instance, must be 0)`] = client.stale();
      const ceiling = serverCeiling(results.get(client.client)!, rawResult.throughput);
      if (ceiling) extra[`${workload}${staleLine} ceiling vs ${RAW} (its servers' CPU alone on ${cpus().length} cores)`] = ceiling;
    });
  } finally {
    // Every one, even when another fails to close: none may keep connections or timers open.
    await Promise.allSettled(closers.map((close) => close()));
  }
  return { rows, extra };
}

/** A client's answer to one statement of the mix: its rows, and whether a read came from the cache. */
type MixAnswer = { rows: Array<{ version: number }>; cached?: boolean };

/**
 * The mix's operation on `table` through `query`, with the stale-read check every client gets:
 * a read must see at least the version the last returned write of its key produced before the
 * read started. Counts reads, cached reads and stale reads.
 */
function checkedMix(
  table: string,
  isWrite: (caller: number, iteration: number) => boolean,
  query: (sql: string, key: number) => Promise<MixAnswer>,
): { operation: Operation; counts: { reads: number; cachedReads: number; stale: number } } {
  const [read, write] = [readOf(table), writeOf(table)];
  const versions = new Int32Array(KEYS + 1);
  const counts = { reads: 0, cachedReads: 0, stale: 0 };
  const operation: Operation = async (caller, i) => {
    const key = keyFor(caller, i);
    if (isWrite(caller, i)) {
      const { rows: written } = await query(write, key);
      versions[key] = Math.max(versions[key], written[0].version);
      return;
    }
    const floor = versions[key];
    const { rows: seen, cached } = await query(read, key);
    counts.reads++;
    if (cached) counts.cachedReads++;
    if (seen[0].version < floor) counts.stale++;
  };
  return { operation, counts };
}

/** Raw pg on its own table, everything on the primary. */
async function rawClient(context: WorkloadContext, isWrite: (caller: number, iteration: number) => boolean, closers: Array<() => Promise<unknown>>): Promise<MixClient> {
  await prepareHotKeys(context.primaryUrl, RAW_TABLE);
  const pool = rawPgPool(context.primaryUrl);
  closers.push(() => pool.end());
  const { operation, counts } = checkedMix(RAW_TABLE, isWrite, (sql, key) => pool.query<{ version: number }>(sql, [key]));
  return {
    client: RAW,
    operation,
    stale: () => counts.stale,
    notes: () => `primary only; stale reads ${counts.stale}`,
  };
}

/** One module instance as an app would boot it, on its own fresh table and cache namespace. */
async function moduleClient(
  context: WorkloadContext,
  settings: (typeof MODULE_CLIENTS)[number],
  isWrite: (caller: number, iteration: number) => boolean,
  closers: Array<() => Promise<unknown>>,
): Promise<MixClient> {
  await prepareHotKeys(context.primaryUrl, settings.table);
  await waitForTableOnReplicas(context.replicaUrls, settings.table, KEYS);
  const optimizer = await optimizerInstance({
    primaryUrl: context.primaryUrl,
    readReplicaUrls: context.replicaUrls,
    enableCache: true,
    redisUrl: settings.memoryOnly ? undefined : context.redisUrl,
    cacheNamespace: `bench-${settings.table}`,
    multiplexReads: settings.multiplexReads,
  });
  closers.push(() => optimizer.app.close());
  const { operation, counts } = checkedMix(settings.table, isWrite, async (sql, key) => {
    const { rows, metadata } = await optimizer.db.executeOptimizedQuery<{ version: number }>(sql, [key]);
    return { rows, cached: metadata.cached !== false };
  });
  // Read off the instance, not the settings: a memory-only row must come from an instance without Redis.
  const levels = (): string => (optimizer.app.get(ResultCacheService).stats().redis === 'none' ? 'L1 only' : 'L1 + Redis');
  return {
    client: settings.client,
    operation,
    stale: () => counts.stale,
    notes: () =>
      `primary + ${context.replicaUrls.length} replica, ${levels()}; stale reads ${counts.stale}; cache hit ${((counts.cachedReads / Math.max(1, counts.reads)) * 100).toFixed(1)}%`,
  };
}

/**
 * The ratio to raw pg no client of these servers could pass here: the module's servers'
 * CPU per operation (PostgreSQL and Redis), alone on every core, against raw pg's measured
 * throughput. The client and the servers share the machine's cores.
 */
function serverCeiling(result: LoadResult, rawThroughput: number): string | undefined {
  if (!result.cpu || rawThroughput <= 0) return undefined;
  return `${(serverBoundThroughput(result.cpu, cpus().length) / rawThroughput).toFixed(2)}x`;
}

/**
 * The servers' CPU a write cost in walsenders, walreceivers and the standbys' replay, in µs:
 * the part of a write no client can save (it is the same for raw pg's writes), which bounds
 * how far any cache can go past raw pg in a mix with writes.
 */
function replicationPerWrite(result: LoadResult, writePercent: number): number | undefined {
  if (!result.cpu) return undefined;
  return Math.round(result.cpu.replicationUs / (writePercent / 100));
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

/** Creates `table` (`hot_keys` unless named) afresh with KEYS rows at version 0. */
export async function prepareHotKeys(primaryUrl: string, table = 'hot_keys'): Promise<void> {
  const pool = rawPgPool(primaryUrl);
  try {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, version int NOT NULL, payload text NOT NULL)`);
    await pool.query(`INSERT INTO ${table} SELECT g, 0, repeat('x', 100) FROM generate_series(1, ${KEYS}) g`);
    await pool.query(`ANALYZE ${table}`);
  } finally {
    await pool.end();
  }
}
