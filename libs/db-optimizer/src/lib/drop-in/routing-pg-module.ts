import { Client, defaults, types } from 'pg';
import type { RoutingPool } from './routing-pool';

/** A stand-in for the `pg` module whose `new Pool()` returns a routing pool. */
export interface RoutingPgModule {
  Pool: new (config?: unknown) => RoutingPool;
  Client: typeof Client;
  types: typeof types;
  defaults: typeof defaults;
}

/**
 * For libraries that take the `pg` module itself and call `new pg.Pool(config)` (TypeORM's
 * `driver` option): each `new Pool()` is a fresh routing-pool view; its connection settings are
 * ignored, since the module's pools already hold them. `types` and `defaults` are pg's own, so
 * options such as TypeORM's `parseInt8` still apply.
 * @publicApi
 *
 * @example
 * new DataSource({ type: 'postgres', driver: routingPgModule(() => dbOptimizer.createPool()), entities: [User] });
 */
export function routingPgModule(createPool: () => RoutingPool): RoutingPgModule {
  // A constructor that returns an object makes `new` yield that object.
  const Pool = function RoutingPgPool(): RoutingPool {
    return createPool();
  } as unknown as RoutingPgModule['Pool'];
  return { Pool, Client, types, defaults };
}
