import { AsyncLocalStorage } from 'node:async_hooks';
import { laterLsn, parseLsn } from './lsn';

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
