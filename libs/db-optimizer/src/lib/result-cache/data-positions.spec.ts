import { PRIMARY_ONLY_LSN } from '../core/lsn';
import type { ReplicaState } from '../routing/replica-state';
import { DataPositions } from './data-positions';

describe('DataPositions', () => {
  const replica = { pool: { server: 'replica:5433' }, replayLsn: 500n as bigint | null };
  const positions = new DataPositions(() => [replica as unknown as ReplicaState], () => 300n);

  it('bounds a replica load by the replay position seen before it, or the position it was routed to have replayed', () => {
    const ofLoad = positions.before(700n);
    replica.replayLsn = 900n; // seen after the load began: not a bound of its data
    expect(ofLoad({ poolUsed: 'read_replica', server: 'replica:5433' })).toBe(700n);
    expect(positions.before(undefined)({ poolUsed: 'read_replica', server: 'replica:5433' })).toBe(900n);
    expect(positions.before(undefined)({ poolUsed: 'read_replica', server: 'unknown:1' })).toBeUndefined();
  });

  it('bounds a primary load strictly below the latest insert position known before it', () => {
    expect(positions.before(200n)({ poolUsed: 'primary', server: 'primary:5432' })).toBe(299n);
    expect(positions.before(800n)({ poolUsed: 'primary', server: 'primary:5432' })).toBe(799n);
    expect(new DataPositions(() => [], () => undefined).before(undefined)({ poolUsed: 'primary', server: 'p' })).toBeUndefined();
  });

  it('takes no bound from a load that needed the primary because a position was unknown', () => {
    // PRIMARY_ONLY_LSN - 1 would say the entry holds every write there will ever be.
    expect(positions.before(PRIMARY_ONLY_LSN)({ poolUsed: 'primary', server: 'primary:5432' })).toBe(299n);
    expect(new DataPositions(() => [], () => undefined).before(PRIMARY_ONLY_LSN)({ poolUsed: 'primary', server: 'p' })).toBeUndefined();
  });
});
