/** The three kinds of pool. `read_replica` may have several servers. */
export type PoolRole = 'primary' | 'read_replica' | 'analytics';

export const POOL_ROLES: readonly PoolRole[] = ['primary', 'read_replica', 'analytics'];
