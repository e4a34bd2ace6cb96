import type { ManagedPool } from '../pool/managed-pool';
import type { PoolManagerService } from '../pool/pool-manager.service';
import { QueryRouter } from './query-router.service';
import type { ReplicaHealthService } from './replica-health.service';
import { ReplicaState } from './replica-state';

// Pure routing logic: pools are stand-ins with only what the router reads.
const fakePool = (name: string, busy = 0): ManagedPool => ({ name, busyCount: busy, waitingCount: 0, ended: false }) as unknown as ManagedPool;

function setup(replicaCount: number, withAnalytics: boolean) {
  const primary = fakePool('primary');
  const readReplicas = Array.from({ length: replicaCount }, (_, i) => fakePool(`read_replica[${i}]`));
  const analytics = withAnalytics ? fakePool('analytics') : undefined;
  const states = new Map<ManagedPool, ReplicaState>([...readReplicas, ...(analytics ? [analytics] : [])].map((p) => [p, new ReplicaState(p)]));
  const pools = { primary, readReplicas, analytics } as unknown as PoolManagerService;
  const health = { stateOf: (pool: ManagedPool) => states.get(pool) } as unknown as ReplicaHealthService;
  return { router: new QueryRouter(pools, health), primary, readReplicas, analytics, states };
}

describe('QueryRouter#route', () => {
  it('sends primary targets to the primary', () => {
    const { router, primary } = setup(2, true);
    expect(router.route('primary')).toEqual({ pool: primary, role: 'primary', fallback: false });
  });

  it('spreads reads over replicas', () => {
    const { router, readReplicas } = setup(2, false);
    const used = new Set([router.route('read_replica').pool, router.route('read_replica').pool]);
    expect(used).toEqual(new Set(readReplicas));
  });

  it('prefers the least loaded replica', () => {
    const { router, readReplicas } = setup(2, false);
    (readReplicas[0] as unknown as { busyCount: number }).busyCount = 5;
    expect(router.route('read_replica').pool).toBe(readReplicas[1]);
    expect(router.route('read_replica').pool).toBe(readReplicas[1]);
  });

  it('skips banned and lagging replicas, and falls back to the primary, counting it', () => {
    const { router, readReplicas, states, primary } = setup(2, false);
    states.get(readReplicas[0])!.ban = { reason: 'down', sinceMs: 0, untilMs: 1, failedChecks: 0 };
    expect(router.route('read_replica').pool).toBe(readReplicas[1]);
    states.get(readReplicas[1])!.lagExcluded = true;
    expect(router.route('read_replica')).toEqual({ pool: primary, role: 'primary', fallback: true });
    expect(router.fallbacks).toBe(1);
  });

  it('reads from a replica only once it has replayed the required position', () => {
    const { router, readReplicas, states, primary } = setup(1, false);
    states.get(readReplicas[0])!.replayLsn = 100n;
    expect(router.route('read_replica', 100n).pool).toBe(readReplicas[0]);
    expect(router.route('read_replica', 101n).pool).toBe(primary);
  });

  it('sends analytics to the analytics replica, else a read replica, else the primary', () => {
    const { router, readReplicas, analytics, states, primary } = setup(1, true);
    expect(router.route('analytics')).toMatchObject({ pool: analytics, role: 'analytics' });
    states.get(analytics!)!.lagExcluded = true;
    expect(router.route('analytics')).toMatchObject({ pool: readReplicas[0], role: 'read_replica' });
    states.get(readReplicas[0])!.lagExcluded = true;
    expect(router.route('analytics')).toMatchObject({ pool: primary, fallback: true });
  });

  it('counts no fallback when no replica is configured for the read: the primary is where it belongs', () => {
    const { router, primary } = setup(0, false);
    expect(router.route('read_replica')).toEqual({ pool: primary, role: 'primary', fallback: false });
    expect(router.route('analytics')).toEqual({ pool: primary, role: 'primary', fallback: false });
    const withAnalyticsOnly = setup(0, true);
    withAnalyticsOnly.states.get(withAnalyticsOnly.analytics!)!.lagExcluded = true;
    expect(withAnalyticsOnly.router.route('read_replica').fallback).toBe(false);
    expect(withAnalyticsOnly.router.route('analytics').fallback).toBe(true);
    expect([router.fallbacks, withAnalyticsOnly.router.fallbacks]).toEqual([0, 1]);
  });

  it('avoids the replica that just failed', () => {
    const { router, readReplicas } = setup(2, false);
    expect(router.route('read_replica', undefined, readReplicas[0]).pool).toBe(readReplicas[1]);
  });
});
