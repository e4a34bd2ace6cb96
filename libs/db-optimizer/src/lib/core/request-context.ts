import { AsyncLocalStorage } from 'node:async_hooks';
import { formatLsn, laterLsn, parseLsn } from './lsn';

/**
 * Read-your-writes for whatever runs while one request is handled: its session key and the
 * newest consistency token it has seen. The facade reads it when a call names neither, and
 * moves the token forward after each write, so the handler and every ORM it calls need no plumbing.
 */
export interface RequestConsistency {
  sessionKey?: string;
  consistencyToken?: string;
}

const storage = new AsyncLocalStorage<RequestConsistency>();

/** Runs `work` (and everything it starts) with `context` as the ambient read-your-writes context. */
export function runWithRequestContext<R>(context: RequestConsistency, work: () => R): R {
  return storage.run(context, work);
}

/** The ambient context, when inside `runWithRequestContext`. */
export function currentRequestContext(): RequestConsistency | undefined {
  return storage.getStore();
}

/** Moves the ambient token forward to `token` when it is newer; tokens only ever advance. */
export function noteRequestToken(token: string | undefined): void {
  const context = storage.getStore();
  if (context === undefined || token === undefined) return;
  const current = context.consistencyToken === undefined ? undefined : parseLsn(context.consistencyToken);
  const next = parseLsn(token);
  if (next !== undefined && laterLsn(current, next) === next) context.consistencyToken = token;
}

/** Requests with a write whose WAL position is unknown, and the number `ConsistencyTracker` gave it. */
const unpositionedWrites = new WeakMap<RequestConsistency, number>();

/** After a write of this request that has no token (its position unknown, numbered `mark`): the request's later reads must see it all the same. */
export function noteRequestUnpositioned(mark: number): void {
  const context = storage.getStore();
  if (context !== undefined) unpositionedWrites.set(context, mark);
}

/**
 * The token a call inside `context` reads with: `token` (the call's or the request's), raised
 * to `covering(mark)` when the request wrote at an unknown position, which is
 * `FFFFFFFF/FFFFFFFF` (the primary) until the lag monitor reads a position after it. A malformed
 * `token` is left for the caller to refuse.
 */
export function requestToken(context: RequestConsistency, token: string | undefined, covering: (mark: number) => bigint | undefined): string | undefined {
  const mark = unpositionedWrites.get(context);
  if (mark === undefined) return token;
  const position = covering(mark);
  const own = token === undefined ? undefined : parseLsn(token);
  if (position === undefined || (token !== undefined && own === undefined)) return token;
  return formatLsn(laterLsn(own, position) as bigint);
}
