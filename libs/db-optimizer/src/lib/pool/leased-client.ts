import type { PoolClient } from 'pg';

/**
 * Marks a client checked out of a ManagedPool (double releases throw; errors while checked out
 * are logged). A property rather than a WeakSet: two hash look-ups less on every checkout.
 */
export const LEASED = Symbol('checked out of a ManagedPool');
/** Checkouts a client has served through its pool, counted when `maxUses` is set (pg-pool counts only its own). */
export const USES = Symbol('checkouts served');
/** The pool a client belongs to: only its own pool may keep it. */
export const OWNER = Symbol('owning ManagedPool');

/** A pg client as a ManagedPool marks it, with pg's socket ref/unref (present on pg's `Client`). */
export type LeasableClient = PoolClient & {
  [LEASED]?: boolean;
  [USES]?: number;
  [OWNER]?: unknown;
  ref?: () => void;
  unref?: () => void;
};

/** Gives a new client every mark before its first use, so setting them later never changes its shape on the hot path. */
export function markNewClient(client: LeasableClient, owner: unknown): void {
  client[LEASED] = false;
  client[USES] = 0;
  client[OWNER] = owner;
}
