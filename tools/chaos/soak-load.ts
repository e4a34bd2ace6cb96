import type { ModuleInstance } from './instances';
import { sleep } from './pacer';
import { Prng } from './prng';
import { errorType } from './error-type';

export const SOAK_TABLE = 'soak_rows';
export const SOAK_ROWS = 5000;
/** More distinct texts than a connection keeps prepared (1000): eviction and re-preparation run all along. */
const STATEMENT_VARIANTS = 3000;
/** Fewer than the tracker's LRU (100 000): sessions fill it early, then stay bounded. */
const SESSION_KEYS = 20_000;

export interface SoakCounters {
  operations: number;
  errors: Record<string, number>;
}

/**
 * Steady mixed load through one instance until `until`: 85% reads of many
 * distinct statements (cached and not, with and without a session), 10%
 * writes with a session key, 5% small transactions. Paced to `opsPerSecond`
 * so the run measures memory under a known load, not the machine's limit.
 */
export async function soakLoad(instance: ModuleInstance, until: number, opsPerSecond: number, callers: number, seed: number): Promise<SoakCounters> {
  const counters: SoakCounters = { operations: 0, errors: {} };
  const startedAt = Date.now();
  let issued = 0;
  const next = async (): Promise<boolean> => {
    const index = issued++;
    const wait = startedAt + (index * 1000) / opsPerSecond - Date.now();
    if (wait > 0) await sleep(wait);
    return Date.now() < until;
  };
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const prng = new Prng(seed * 1000 + caller);
      while (await next()) {
        try {
          await operate(instance, prng);
          counters.operations++;
        } catch (error) {
          const type = errorType(error);
          counters.errors[type] = (counters.errors[type] ?? 0) + 1;
        }
      }
    }),
  );
  return counters;
}

async function operate(instance: ModuleInstance, prng: Prng): Promise<void> {
  const id = 1 + prng.below(SOAK_ROWS);
  const sessionKey = `soak-session-${prng.below(SESSION_KEYS)}`;
  const roll = prng.next();
  if (roll < 0.85) {
    const variant = prng.below(STATEMENT_VARIANTS);
    await instance.db.executeOptimizedQuery(`SELECT id, counter, ${variant} AS variant FROM ${SOAK_TABLE} WHERE id = $1`, [id], {
      sessionKey: prng.next() < 0.3 ? sessionKey : undefined,
      useCache: prng.next() < 0.8,
    });
    return;
  }
  if (roll < 0.95) {
    await instance.db.executeOptimizedQuery(`UPDATE ${SOAK_TABLE} SET counter = counter + 1 WHERE id = $1`, [id], { sessionKey });
    return;
  }
  await instance.db.executeTransactionOptimized(
    [
      [`UPDATE ${SOAK_TABLE} SET counter = counter + 1 WHERE id = $1`, [id]],
      [`SELECT counter FROM ${SOAK_TABLE} WHERE id = $1`, [id]],
    ],
    { sessionKey },
  );
}
