import type { PoolClient } from 'pg';

type WireClient = PoolClient & { connection: { stream: Record<'_writev' | '_write', (...args: unknown[]) => unknown> } };

/**
 * Counts the socket writes of these pg clients from now on (both of Node's write paths: a single
 * chunk, and corked chunks leaving together). For tests that assert how many round trips a
 * change costs; `reset()` starts the count again.
 */
export function watchSocketWrites(clients: readonly PoolClient[]): { readonly count: number; reset(): void } {
  let count = 0;
  for (const client of clients as readonly WireClient[]) {
    const stream = client.connection.stream;
    for (const method of ['_writev', '_write'] as const) {
      const original = stream[method].bind(stream);
      stream[method] = (...args: unknown[]) => {
        count++;
        return original(...args);
      };
    }
  }
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}
