import type { Pool, PoolClient } from 'pg';

/**
 * The only file that touches pg-pool's private fields (pg-pool 3.x), and the pg client flags
 * pg-pool reads. pg-pool has no runtime setter for `max` and no way to close chosen idle
 * clients; auto-sizing needs both. Kept here so a pg or pg-pool upgrade has one place to check.
 */
interface IdleItem {
  client: PoolClient & { ref?: () => void };
  idleListener: unknown;
  timeoutId?: NodeJS.Timeout;
}

interface PendingItem {
  timedOut: boolean;
  callback(error: Error | undefined, client?: PoolClient): void;
}

interface PoolInternals {
  options: { max: number; allowExitOnIdle?: boolean; maxLifetimeSeconds?: number };
  _expired?: WeakSet<PoolClient>;
  ending: boolean;
  _idle: IdleItem[];
  _pendingQueue: unknown[];
  _pulseQueue(): void;
  _remove(client: PoolClient): void;
  _acquireClient(client: PoolClient, pending: PendingItem, idleListener: unknown, isNew: boolean): void;
}

const internals = (pool: Pool): PoolInternals => pool as unknown as PoolInternals;

/** Whether this pg-pool has the fields `takeIdleClient` relies on (checked once per pool). */
export function canTakeIdleClients(pool: Pool): boolean {
  const candidate = internals(pool);
  return Array.isArray(candidate._idle) && Array.isArray(candidate._pendingQueue) && typeof candidate._acquireClient === 'function';
}

/**
 * Hands over an idle client at once, as pg-pool's own queue pulse would (the most recently
 * released one, its idle timer cleared, its socket ref'd again under `allowExitOnIdle`,
 * pg-pool's 'acquire' event and release function set), or undefined when nobody may skip
 * the queue: no idle client, callers waiting, or the pool ending. pg-pool's `connect()` does
 * the same a tick later, behind a promise and a timer for `connectionTimeoutMillis` made and
 * cleared on every checkout; on the warm path that was most of the cost of a checkout.
 */
export function takeIdleClient(pool: Pool): PoolClient | undefined {
  const candidate = internals(pool);
  if (candidate.ending || candidate._pendingQueue.length > 0) return undefined;
  const item = candidate._idle.pop();
  if (item === undefined) return undefined;
  clearTimeout(item.timeoutId);
  // pg-pool unrefs an idle client's socket only with allowExitOnIdle; otherwise it was never unref'd.
  if (allowsExitOnIdle(pool)) item.client.ref?.();
  let taken: PoolClient | undefined;
  candidate._acquireClient(item.client, { timedOut: false, callback: (_error, client) => (taken = client) }, item.idleListener, false);
  return taken;
}

/** pg-pool's `allowExitOnIdle`: it unrefs an idle client's socket, and refs it again at checkout. */
export function allowsExitOnIdle(pool: Pool): boolean {
  return internals(pool).options.allowExitOnIdle === true;
}

/**
 * Whether the client's connection failed or is closing, read from pg's own flags as pg-pool's
 * release reads them (it closes such a client instead of keeping it idle).
 */
export function isConnectionClosing(client: PoolClient): boolean {
  const flags = client as PoolClient & { _queryable?: boolean; _ending?: boolean };
  return flags._queryable === false || flags._ending === true;
}

/**
 * Whether pg-pool marked `client` for closing at its next release (`maxLifetimeSeconds` passed
 * while it was checked out). A client the pool keeps must go back to pg-pool for that to happen.
 */
export function hasExpired(pool: Pool, client: PoolClient): boolean {
  const candidate = internals(pool);
  return candidate.options.maxLifetimeSeconds ? candidate._expired?.has(client) === true : false;
}

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
