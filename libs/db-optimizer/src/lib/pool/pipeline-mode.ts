import type { PoolClient } from 'pg';

/**
 * What pg 8.23's client has for sending queries without waiting for the previous answer
 * (`pipeline`, which pg reads as it sends and as answers arrive) and its queues.
 */
interface PipelineFields {
  pipeline: boolean;
  connectionParameters?: { query_timeout?: number };
  _activeQuery?: unknown;
  _queryQueue: unknown[];
  _sentQueryQueue: unknown[];
}

/** A pool client that can run queries in pipeline mode (`canPipeline`). */
export type PipelineCapableClient = PoolClient & PipelineFields;

/**
 * Whether this client can run queries in pipeline mode: a pg with it (8.23 and later, not the
 * native binding) and no `query_timeout`, which in pipeline mode destroys the connection on a
 * late answer instead of failing that one query.
 */
export function canPipeline(client: PoolClient): client is PipelineCapableClient {
  const candidate = client as PoolClient & Partial<PipelineFields>;
  return (
    typeof candidate.pipeline === 'boolean' &&
    Array.isArray(candidate._queryQueue) &&
    Array.isArray(candidate._sentQueryQueue) &&
    !candidate.connectionParameters?.query_timeout
  );
}

/** A client's socket, as far as holding writes back goes; a stand-in stream may lack cork. */
export type CorkableSocket = { cork?: () => void; uncork?: () => void } | undefined;

/** The socket under a pg client, for corking its writes so several leave in one. */
export function socketOf(client: PoolClient): CorkableSocket {
  return (client as Partial<PoolClient>).connection?.stream as CorkableSocket;
}

/** Nothing sent on the connection is still waiting for its answer, and nothing is queued. */
export function nothingInFlight(client: PipelineCapableClient): boolean {
  return !client._activeQuery && client._queryQueue.length === 0 && client._sentQueryQueue.length === 0;
}

/**
 * Calls `done` once pg has had every answer it waits for on the connection (its 'drain' event):
 * `drained` true. False when the connection ended first, or when answers are still due after
 * `timeoutMs` (then it must be closed, not reused).
 */
export function afterDrain(client: PipelineCapableClient, timeoutMs: number, done: (drained: boolean) => void): void {
  let settled = false;
  const finish = (drained: boolean): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    client.off('drain', onDrain);
    client.off('end', onEnd);
    done(drained);
  };
  const onDrain = (): void => finish(true);
  const onEnd = (): void => finish(false);
  const timer = setTimeout(() => finish(nothingInFlight(client)), timeoutMs);
  timer.unref();
  client.on('drain', onDrain);
  client.on('end', onEnd);
}
