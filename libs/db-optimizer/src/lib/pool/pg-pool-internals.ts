import type { Pool, PoolClient } from 'pg';

/**
 * The only file that touches pg-pool's private fields (pg-pool 3.x). pg-pool has no
 * runtime setter for `max` and no way to close chosen idle clients; auto-sizing needs
 * both. Kept here so a pg-pool upgrade has one place to check.
 */
interface PoolInternals {
  options: { max: number };
  _idle: Array<{ client: PoolClient }>;
  _pulseQueue(): void;
  _remove(client: PoolClient): void;
}

const internals = (pool: Pool): PoolInternals => pool as unknown as PoolInternals;

/** pg-pool reads `options.max` on every connect(): changing it moves the limit at once. */
export function setPoolMax(pool: Pool, max: number): void {
  internals(pool).options.max = max;
}

/**
 * Serves callers already queued after the limit grew: pg-pool checks the limit only on
 * new connect() calls, and each pulse opens one connection for one waiting caller.
 */
export function serveQueuedCallers(pool: Pool, newSlots: number): void {
  for (let slot = 0; slot < newSlots && pool.waitingCount > 0; slot++) internals(pool)._pulseQueue();
}

/**
 * Closes up to `count` idle clients, oldest first (recently used ones hold warm prepared
 * statements), the way pg-pool's own idle timeout does. Returns how many it closed.
 */
export function closeOldestIdle(pool: Pool, count: number): number {
  const idle = internals(pool)._idle;
  let closed = 0;
  while (closed < count && idle.length > 0) {
    internals(pool)._remove(idle[0].client);
    closed++;
  }
  return closed;
}
