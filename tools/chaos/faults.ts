import type { LocalCluster, PgNode } from '@db-optimizer/cluster';
import { errorType } from './error-type';
import type { ModuleInstance } from './instances';
import { sleep } from './pacer';
import type { RedisControl } from './redis-control';
import { standbysCaughtUp } from './replication-wait';

/** Every fault the runner knows, in the order a full run injects them: the topology change comes last. */
export const FAULT_KINDS = [
  'replica-stop',
  'replay-pause',
  'terminate-backends',
  'redis-stop',
  'pool-burst',
  'primary-restart',
  'primary-stop',
  'promotion',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a fault acts on; `primary` moves when a standby is promoted. */
export interface FaultContext {
  cluster: LocalCluster;
  redis: RedisControl;
  instances: readonly ModuleInstance[];
  primary: PgNode;
  /** Set while Redis is down (and shortly after), so cached reads get the outage staleness bound. */
  redisOutageUntil: number;
  notes: string[];
}

export interface Fault {
  kind: FaultKind;
  description: string;
  /** How long the fault stays in force between inject and recover. */
  holdMs: number;
  /** A guess of the recovery's length, for spreading operations over the run. */
  expectedRecoveryMs: number;
  /** Whether recovery restores the old topology; a promotion does not, so nothing runs after it. */
  recovers: boolean;
  inject(context: FaultContext): Promise<void>;
  recover(context: FaultContext): Promise<void>;
}

/**
 * After Redis is back, an instance still treats it as down until its next
 * health check (every 500 ms, 100 ms timeout): the outage bound holds until then.
 * From there on the README promises no stale entry at all.
 */
const OUTAGE_TAIL_MS = 1000;

const standbysOf = (context: FaultContext): PgNode[] => context.cluster.nodes.filter((node) => node !== context.primary);

async function catchUp(context: FaultContext): Promise<void> {
  if (!(await standbysCaughtUp(context.primary, standbysOf(context)))) context.notes.push('standbys had not caught up 30 s after recovery');
}

/** Fast shutdown of the primary (the restart and the stop faults differ only in how long it stays down). */
const stopPrimary = (context: FaultContext): Promise<void> => context.primary.stop('fast');

async function startPrimary(context: FaultContext): Promise<void> {
  await context.primary.start();
  await catchUp(context);
}

/**
 * Ends every client backend on every running node but the admin connection
 * doing it: the module's pool connections, its lag checks, everything.
 */
async function terminateClientBackends(context: FaultContext): Promise<number> {
  let terminated = 0;
  for (const node of context.cluster.nodes.filter((candidate) => candidate.running)) {
    const [row] = await node.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [],
      'chaos-admin',
    );
    terminated += row.n;
  }
  return terminated;
}

/** 100 calls of 300 ms on 10 connections need 3 s: more than the 2 s acquire timeout, so the tail must be refused. */
const BURST_CALLS_PER_INSTANCE = 100;

/** More slow primary calls at once than the pools hold, from every instance: callers must get PoolExhaustedError, not hang. */
async function poolBurst(context: FaultContext): Promise<void> {
  const outcomes: Record<string, number> = {};
  for (let round = 0; round < 2; round++) {
    const calls = context.instances.flatMap((instance) =>
      Array.from({ length: BURST_CALLS_PER_INSTANCE }, () => instance.db.executeOptimizedQuery('SELECT pg_sleep(0.3)', [], { forcePrimary: true })),
    );
    for (const result of await Promise.allSettled(calls)) {
      const key = result.status === 'fulfilled' ? 'ok' : errorType(result.reason);
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  context.notes.push(`pool-burst calls: ${JSON.stringify(outcomes)}`);
}

export const FAULTS: Readonly<Record<FaultKind, Fault>> = {
  'replica-stop': {
    kind: 'replica-stop',
    description: 'read replica stopped (fast), then started',
    holdMs: 3000,
    expectedRecoveryMs: 1500,
    recovers: true,
    inject: (context) => context.cluster.readReplica.stop('fast'),
    recover: async (context) => {
      await context.cluster.readReplica.start();
      await catchUp(context);
    },
  },
  'replay-pause': {
    kind: 'replay-pause',
    description: 'WAL replay paused on both standbys, then resumed',
    holdMs: 3000,
    expectedRecoveryMs: 500,
    recovers: true,
    inject: async (context) => {
      await Promise.all(standbysOf(context).map((node) => node.pauseReplay()));
    },
    recover: async (context) => {
      await Promise.all(standbysOf(context).map((node) => node.resumeReplay()));
      await catchUp(context);
    },
  },
  'terminate-backends': {
    kind: 'terminate-backends',
    description: 'pg_terminate_backend of every client backend on every node, 3 rounds 700 ms apart',
    holdMs: 0,
    expectedRecoveryMs: 2000,
    recovers: true,
    inject: async (context) => {
      const counts: number[] = [];
      for (let round = 0; round < 3; round++) {
        if (round > 0) await sleep(700);
        counts.push(await terminateClientBackends(context));
      }
      context.notes.push(`terminate-backends ended ${counts.join(' + ')} backends`);
    },
    recover: async () => undefined,
  },
  'redis-stop': {
    kind: 'redis-stop',
    description: 'Redis stopped, then started again on the same port (empty)',
    holdMs: 3000,
    expectedRecoveryMs: 500,
    recovers: true,
    inject: async (context) => {
      context.redisOutageUntil = Infinity;
      await context.redis.stop();
    },
    recover: async (context) => {
      await context.redis.restart();
      context.redisOutageUntil = Date.now() + OUTAGE_TAIL_MS;
    },
  },
  'pool-burst': {
    kind: 'pool-burst',
    description: '2 bursts of 100 concurrent 300 ms primary calls per instance (pools hold 10, acquire timeout 2 s)',
    holdMs: 0,
    expectedRecoveryMs: 5000,
    recovers: true,
    inject: poolBurst,
    recover: async () => undefined,
  },
  'primary-restart': {
    kind: 'primary-restart',
    description: 'primary stopped (fast) and started again at once',
    holdMs: 0,
    expectedRecoveryMs: 2000,
    recovers: true,
    inject: stopPrimary,
    recover: startPrimary,
  },
  'primary-stop': {
    kind: 'primary-stop',
    description: 'primary stopped for 10 s with both standbys up, then started',
    holdMs: 10_000,
    expectedRecoveryMs: 2000,
    recovers: true,
    inject: stopPrimary,
    recover: startPrimary,
  },
  promotion: {
    kind: 'promotion',
    description: 'primary stopped for good, read replica promoted (pg_ctl promote); the module follows it (it is a primary candidate)',
    holdMs: 5000,
    expectedRecoveryMs: 0,
    recovers: false,
    inject: async (context) => {
      await context.primary.stop('fast');
      await context.cluster.readReplica.promote();
      context.primary = context.cluster.readReplica;
      context.notes.push(`promoted ${context.primary.name} (port ${context.primary.port}); old primary stays down`);
    },
    recover: async () => undefined,
  },
};

/** Reads `--faults`-style input: a count of the default order, or a comma-separated list of kinds. */
export function faultsFrom(spec: string | number | undefined): FaultKind[] {
  if (spec === undefined) return [...FAULT_KINDS];
  if (typeof spec === 'number' || /^\d+$/.test(spec)) {
    const count = Number(spec);
    if (count < 0 || count > FAULT_KINDS.length) {
      throw new Error(`--faults ${spec}: give a count from 0 to ${FAULT_KINDS.length}, or a comma-separated list of ${FAULT_KINDS.join(', ')}.`);
    }
    return FAULT_KINDS.slice(0, count);
  }
  const kinds = spec.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new Error(`--faults: unknown fault ${unknown.join(', ')}; known faults are ${FAULT_KINDS.join(', ')}.`);
  const promotion = kinds.indexOf('promotion');
  if (promotion !== -1 && promotion !== kinds.length - 1) throw new Error('--faults: promotion changes the topology for good, so it must come last.');
  return kinds as FaultKind[];
}
