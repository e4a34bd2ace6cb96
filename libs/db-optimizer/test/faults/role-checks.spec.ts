import { DatabaseUnavailableError, ReplicaHealthService } from '@db-optimizer/core';
import { PoolManagerService } from '../../src/lib/pool/pool-manager.service';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from '../support/test-module';

// Misconfigured on purpose, as after a failover nobody told us about: nothing is stopped or promoted.
describe('role checks (pg_is_in_recovery) against the role we gave each server', () => {
  const env = testEnv();
  let instance: TestInstance;

  beforeAll(async () => {
    instance = await startInstance({
      // The "primary" is a standby, and the first "replica" is the real primary.
      primaryUrl: env.readReplicaUrl,
      readReplicaUrls: [env.primaryUrl, env.analyticsUrl],
      replicaLag: { checkIntervalMs: 100 },
      replicaBanMs: 100,
      primaryPool: { min: 1, max: 2 },
      readReplicaPool: { min: 1, max: 2 },
    });
  });

  afterAll(async () => {
    await instance?.close();
  });

  it('bans a replica that is not in recovery as promoted, and keeps it banned while that holds', async () => {
    const pools = instance.get(PoolManagerService);
    const state = instance.get(ReplicaHealthService).stateOf(pools.readReplicas[0])!;
    await waitFor(() => state.ban?.reason === 'promoted: not in recovery', { what: 'the role check to ban it' });
    // Several health checks later (ban 100 ms, doubling) it is still banned, for the same reason.
    await waitFor(() => state.ban !== undefined && state.ban.failedChecks >= 2, { what: 'two more health checks' });
    expect(state.ban?.reason).toBe('promoted: not in recovery');
    const { metadata } = await instance.db.executeOptimizedQuery('SELECT 1 AS one');
    expect(metadata.server).not.toBe(pools.readReplicas[0].server);
  });

  it('refuses writes to a "primary" in recovery with an error saying a failover happened', async () => {
    const refused = await instance.db.executeOptimizedQuery(`CREATE TABLE never_created_${process.pid} (id int)`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect((refused as Error).message).toMatch(/A failover happened: the server configured as primary "primary" .* is in recovery/);
  });
});
