import { Pool } from 'pg';

/**
 * `target` seen as a `pg.Pool`, down to `instanceof pg.Pool`. Some libraries tell a pool from
 * connection settings by that check alone: Prisma's `PrismaPg` takes anything else for a config
 * and builds a pg pool of its own from it, which bypasses the routing pool entirely (and, given a
 * routing pool, fails in pg's startup message). Every property read, write and call still goes
 * to `target` itself; only the prototype the view reports is pg's, so `instanceof` answers yes.
 *
 * The view holds no state of its own: listeners, `end()` and counters are the target's.
 */
export function pgPoolView<T extends object>(target: T): Pool {
  return new Proxy(target, { getPrototypeOf: () => Pool.prototype }) as unknown as Pool;
}
