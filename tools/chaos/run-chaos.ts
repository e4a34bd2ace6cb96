import { LocalCluster } from '@db-optimizer/cluster';
import { DEFAULT_MULTIPLEX_READS } from '@db-optimizer/core';
import type { ChaosReport, FaultWindowReport, ZeroCheck } from './chaos-report.interface';
import { CrashCounter } from './crash-counter';
import { shortMessage } from './error-type';
import { FAULTS, FaultContext, FaultKind } from './faults';
import { ModuleInstance, chaosOptions, checkedOut, startInstance } from './instances';
import { Ledger } from './ledger';
import { Pacer, sleep } from './pacer';
import { Recorder } from './recorder';
import { RedisControl } from './redis-control';
import { standbysCaughtUp } from './replication-wait';
import { Caller, TABLE, WorkloadContext } from './workload';

export interface ChaosOptions {
  /** Workload operations in all. */
  operations: number;
  seed: number;
  /** Faults in the order they are injected; `promotion`, if present, must be last. */
  faults: readonly FaultKind[];
  /** Concurrent callers. @default 4 */
  callers?: number;
  /** The instances' `multiplexReads` (reads sharing connections). @default the module's, 8 */
  multiplexReads?: number;
  /** Rows each caller owns. @default 25 */
  rowsPerCaller?: number;
  /** Calm time before each fault. @default 1500 */
  settleMs?: number;
  /** Called about once a second with a one-line status. */
  onProgress?: (line: string) => void;
  log?: (line: string) => void;
}

/**
 * How late a cached read may still miss another instance's write. Measured
 * p99 of the pub/sub path is a few ms; 100 ms leaves room for a loaded 2-core machine.
 */
const CROSS_INSTANCE_WINDOW_MS = 100;
/**
 * During a Redis outage: L1 serves entries up to `cacheOutageMaxAgeMs` (1000)
 * old, once the outage is noticed (health check every 500 ms, calls time out
 * after 100 ms); 300 ms of slack on top.
 */
const REDIS_OUTAGE_WINDOW_MS = 1000 + 500 + 2 * 100 + 300;
const SETTLE_CLIENTS_MS = 5000;

/**
 * Starts a private cluster and Redis, two module instances, runs the seeded
 * workload while faults come and go one at a time, then checks the books.
 * Everything it started is stopped before it returns.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const callers = options.callers ?? 4;
  const rowsPerCaller = options.rowsPerCaller ?? 25;
  const startedAt = Date.now();
  const crashes = new CrashCounter().install();
  const notes: string[] = [];
  let cluster: LocalCluster | undefined;
  let redis: RedisControl | undefined;
  const instances: ModuleInstance[] = [];
  try {
    log('starting PostgreSQL primary + 2 standbys and a private Redis...');
    cluster = await LocalCluster.start({ settings: { wal_retrieve_retry_interval: '500ms' } });
    redis = await RedisControl.start();
    await createTable(cluster, callers * rowsPerCaller);
    // The read replica is also a primary candidate: after the promotion fault the module follows it (issue #11).
    const base = {
      primaryUrls: [cluster.primary.url, cluster.readReplica.url],
      readReplicaUrls: [cluster.readReplica.url, cluster.analyticsReplica.url],
      redisUrl: redis.url,
      multiplexReads: options.multiplexReads ?? DEFAULT_MULTIPLEX_READS,
    };
    for (const index of [0, 1]) instances.push(await startInstance(index, chaosOptions(base)));

    const faultContext: FaultContext = { cluster, redis, instances, primary: cluster.primary, redisOutageUntil: 0, notes };
    const ledger = new Ledger();
    const recorder = new Recorder();
    const pacer = new Pacer(options.operations);
    let phase = 'calm';
    let value = 0;
    const context: WorkloadContext = {
      instances,
      ledger,
      recorder,
      pacer,
      rowsPerCaller,
      callers,
      currentPhase: () => phase,
      crossInstanceWindowMs: () => (Date.now() < faultContext.redisOutageUntil ? REDIS_OUTAGE_WINDOW_MS : CROSS_INSTANCE_WINDOW_MS),
      nextValue: () => ++value,
    };
    const progress = setInterval(
      () => options.onProgress?.(`ops ${pacer.done}/${options.operations} | fault: ${phase} | errors ${recorder.errorsSoFar} | acked writes ${ledger.acknowledged}`),
      1000,
    );
    try {
      log(`running ${options.operations} operations with ${callers} callers; faults: ${options.faults.join(', ') || 'none'}`);
      const running = Array.from({ length: callers }, (_, i) => new Caller(i, options.seed, context).run());
      const windows = await schedule(options, pacer, faultContext, (next) => (phase = next));
      pacer.release();
      await Promise.all(running);
      const clientsCheckedOut = await settledCheckouts(instances);
      const lostWrites = await lostWritesOn(faultContext, ledger, notes);
      await closeAll(instances, notes);
      return buildReport(options, callers, startedAt, windows, recorder, ledger, crashes, lostWrites, clientsCheckedOut, notes);
    } finally {
      clearInterval(progress);
    }
  } finally {
    await closeAll(instances, notes);
    await redis?.stop().catch(() => undefined);
    await cluster?.stop().catch((error: unknown) => log(`cluster stop: ${shortMessage(error)}`));
    crashes.uninstall();
  }
}

async function createTable(cluster: LocalCluster, rows: number): Promise<void> {
  await cluster.primary.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await cluster.primary.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, counter bigint NOT NULL DEFAULT 0)`);
  await cluster.primary.query(`INSERT INTO ${TABLE} (id) SELECT generate_series(1, $1::int)`, [rows]);
  if (!(await standbysCaughtUp(cluster.primary, [cluster.readReplica, cluster.analyticsReplica]))) {
    throw new Error(`The standbys did not replay the new ${TABLE} table within 30 s; see the node logs under ${cluster.baseDir}.`);
  }
}

/** Injects each fault after a calm spell, holds it, recovers, and tells the pacer how to spread operations. */
async function schedule(
  options: ChaosOptions,
  pacer: Pacer,
  context: FaultContext,
  setPhase: (phase: string) => void,
): Promise<Array<{ kind: FaultKind; startedAt?: number; endedAt?: number; skipped?: string }>> {
  const settleMs = options.settleMs ?? 1500;
  const phases = options.faults.length + 1;
  const windows: Array<{ kind: FaultKind; startedAt?: number; endedAt?: number; skipped?: string }> = [];
  for (const [i, kind] of options.faults.entries()) {
    const fault = FAULTS[kind];
    pacer.enterPhase(Math.round((options.operations * (i + 1)) / phases), settleMs + fault.holdMs + fault.expectedRecoveryMs);
    await sleep(settleMs);
    if (pacer.done >= options.operations) {
      windows.push({ kind, skipped: 'the operations ran out before this fault' });
      continue;
    }
    const window: { kind: FaultKind; startedAt?: number; endedAt?: number; skipped?: string } = { kind, startedAt: Date.now() };
    windows.push(window);
    setPhase(kind);
    try {
      await fault.inject(context);
      await sleep(fault.holdMs);
    } catch (error) {
      context.notes.push(`${kind}: injection failed: ${shortMessage(error)}`);
    }
    try {
      await fault.recover(context);
    } catch (error) {
      context.notes.push(`${kind}: recovery failed: ${shortMessage(error)}`);
    }
    window.endedAt = Date.now();
    // After a promotion the old topology never comes back: the rest of the run belongs to it.
    if (fault.recovers) setPhase('calm');
  }
  return windows;
}

/** Waits (briefly) for in-flight work to hand its clients back, then reads what is still out. */
async function settledCheckouts(instances: readonly ModuleInstance[]): Promise<ZeroCheck> {
  const deadline = Date.now() + SETTLE_CLIENTS_MS;
  for (;;) {
    const out = instances.flatMap((instance) => checkedOut(instance).map((pool) => ({ instance: instance.index, ...pool })));
    const stuck = out.filter((pool) => pool.busy > 0 || pool.waiting > 0);
    if (stuck.length === 0 || Date.now() > deadline) return { count: stuck.reduce((sum, pool) => sum + pool.busy, 0), samples: stuck };
    await sleep(100);
  }
}

async function lostWritesOn(context: FaultContext, ledger: Ledger, notes: string[]): Promise<ZeroCheck> {
  try {
    const rows = await context.primary.query<{ id: number; counter: string }>(`SELECT id, counter FROM ${TABLE}`, [], 'chaos-admin');
    const lost = ledger.lostWrites(new Map(rows.map((row) => [row.id, Number(row.counter)])));
    return { count: lost.length, samples: lost.slice(0, 20) };
  } catch (error) {
    notes.push(`the final values could not be read from ${context.primary.name}: ${shortMessage(error)}`);
    return { count: ledger.acknowledged, samples: ['final values unreadable: every acknowledged write counts as unverified'] };
  }
}

async function closeAll(instances: ModuleInstance[], notes: string[]): Promise<void> {
  for (const instance of instances.splice(0)) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 15_000)));
    const closed = await Promise.race([instance.close().then(() => true), timedOut]).catch((error: unknown) => {
      notes.push(`instance ${instance.index} close failed: ${shortMessage(error)}`);
      return true;
    });
    clearTimeout(timer);
    if (!closed) notes.push(`instance ${instance.index} did not close within 15 s`);
  }
}

function buildReport(
  options: ChaosOptions,
  callers: number,
  startedAt: number,
  windows: Array<{ kind: FaultKind; startedAt?: number; endedAt?: number; skipped?: string }>,
  recorder: Recorder,
  ledger: Ledger,
  crashes: CrashCounter,
  lostWrites: ZeroCheck,
  clientsCheckedOut: ZeroCheck,
  notes: string[],
): ChaosReport {
  const faults: FaultWindowReport[] = windows.map((window) => {
    const stats = recorder.phase(window.kind);
    return {
      kind: window.kind,
      description: FAULTS[window.kind].description,
      startedAt: window.startedAt === undefined ? undefined : new Date(window.startedAt).toISOString(),
      durationMs: window.startedAt === undefined || window.endedAt === undefined ? undefined : window.endedAt - window.startedAt,
      skipped: window.skipped,
      readAvailability: stats.reads === 0 ? 1 : stats.readsSucceeded / stats.reads,
      stats,
    };
  });
  const checks: ChaosReport['checks'] = {
    lostWrites,
    readYourWritesViolations: recorder.readYourWrites,
    staleCacheReads: recorder.staleCacheReads,
    processCrashes: { count: crashes.count, samples: crashes.samples },
    clientsCheckedOutAtEnd: clientsCheckedOut,
  };
  return {
    seed: options.seed,
    operations: options.operations,
    callers,
    multiplexReads: options.multiplexReads ?? DEFAULT_MULTIPLEX_READS,
    durationMs: Date.now() - startedAt,
    faults,
    calm: recorder.phase('calm'),
    checks,
    info: {
      acknowledgedWrites: ledger.acknowledged,
      inDoubtWrites: ledger.inDoubt,
      staleTokenlessMisses: recorder.staleTokenlessMisses,
      hungOperations: recorder.hungOperations,
      crossInstanceWindowMs: CROSS_INSTANCE_WINDOW_MS,
      redisOutageWindowMs: REDIS_OUTAGE_WINDOW_MS,
      expectedErrors: recorder.expectedErrors,
      unexpectedSuccesses: recorder.unexpectedSuccesses,
      notes,
    },
    passed: Object.values(checks).every((check) => check.count === 0),
  };
}
