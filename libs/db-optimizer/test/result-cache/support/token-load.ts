import type { TestInstance } from '../../support/test-module';

/** A write the writer hands to the reader: the row, the value it wrote, and its token. */
interface Handoff {
  id: number;
  v: number;
  token: string;
}

/** What the reader saw in one phase of the load. */
export interface PhaseCount {
  /** Reads that carried a writer's token. */
  tokenReads: number;
  /** Of which returned a value older than the write behind the token. */
  older: number;
  /** Of which came from memory or Redis. */
  cached: number;
  /** A few of the older reads, to print. */
  examples: string[];
}

export interface TokenLoadOptions {
  writer: TestInstance;
  reader: TestInstance;
  /** `schema.table` with `id int PRIMARY KEY, v int` rows 1..rows. */
  table: string;
  rows: number;
  /** `schema.table` both instances write to now and then: moves each instance's known WAL position, as real traffic does. */
  noise: string;
  callers: number;
  /** The phase a read is counted in, asked when the read starts; undefined ends the load. */
  phase(): string | undefined;
}

/**
 * The load: the writer's callers write one operation in ten (the rest read) and
 * hand each write's token to the reader, whose callers read that row with the token; they
 * also read rows without a token (warming entries that predate writes) and write the noise
 * table. Runs until `phase()` says stop.
 */
export async function runTokenLoad(options: TokenLoadOptions, counts = new Map<string, PhaseCount>()): Promise<Map<string, PhaseCount>> {
  const { writer, reader, table, rows, noise, callers } = options;
  const handoffs: Handoff[] = [];
  const countOf = (phase: string): PhaseCount => {
    let count = counts.get(phase);
    if (!count) counts.set(phase, (count = { tokenReads: 0, older: 0, cached: 0, examples: [] }));
    return count;
  };
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const readRow = (instance: TestInstance, id: number, token?: string) =>
    instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${table} WHERE id = $1`, [id], token === undefined ? {} : { consistencyToken: token });
  const writeNoise = (instance: TestInstance) => instance.db.executeOptimizedQuery(`UPDATE ${noise} SET n = n + 1 WHERE id = $1`, [1 + random(4)]);

  // Memory hits resolve in microtasks only: without a turn of the event loop, callers would starve the I/O of the others.
  const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));
  const writerCaller = async (): Promise<void> => {
    while (options.phase() !== undefined) {
      await yieldTurn();
      const id = 1 + random(rows);
      if (random(10) !== 0) {
        await readRow(writer, id);
        if (random(20) === 0) await writeNoise(writer);
        continue;
      }
      const written = await writer.db.executeOptimizedQuery<{ v: number }>(`UPDATE ${table} SET v = v + 1 WHERE id = $1 RETURNING v`, [id]);
      const token = written.metadata.consistencyToken;
      if (token === undefined) throw new Error('the write returned no consistencyToken: the test needs replicas');
      handoffs.push({ id, v: written.rows[0].v, token });
      if (handoffs.length > 200) handoffs.splice(0, 100);
    }
  };
  const readerCaller = async (): Promise<void> => {
    while (options.phase() !== undefined) {
      await yieldTurn();
      const action = random(10);
      if (action < 4 || handoffs.length === 0) {
        await readRow(reader, 1 + random(rows));
      } else if (action === 4) {
        await writeNoise(reader);
      } else {
        // Mostly the latest writes, sometimes an older one: both must be honoured.
        const handoff = handoffs[Math.max(0, handoffs.length - 1 - random(action === 9 ? handoffs.length : 3))];
        const phase = options.phase();
        if (phase === undefined) return;
        const result = await readRow(reader, handoff.id, handoff.token);
        const count = countOf(phase);
        count.tokenReads++;
        if (result.metadata.cached !== false) count.cached++;
        if (result.rows[0].v < handoff.v) {
          count.older++;
          if (count.examples.length < 5) count.examples.push(`row ${handoff.id}: token ${handoff.token} wrote ${handoff.v}, read ${result.rows[0].v} (${String(result.metadata.cached)})`);
        }
      }
    }
  };
  await Promise.all([...Array.from({ length: callers }, writerCaller), ...Array.from({ length: callers }, readerCaller)]);
  return counts;
}

/** Reads every row and writes the noise table once on each instance (parser, catalog, connections), so the phases measure the steady state. */
export async function warmUp(options: Pick<TokenLoadOptions, 'writer' | 'reader' | 'table' | 'rows' | 'noise'>): Promise<void> {
  for (const instance of [options.writer, options.reader]) {
    for (let id = 1; id <= options.rows; id++) await instance.db.executeOptimizedQuery(`SELECT v FROM ${options.table} WHERE id = $1`, [id]);
    await instance.db.executeOptimizedQuery(`UPDATE ${options.noise} SET n = n + 1 WHERE id = $1`, [1]);
  }
}

/** One phase that lasts until `tokenReads` token reads were counted in it, or `maxMs` passed. */
export function untilTokenReads(counts: Map<string, PhaseCount>, name: string, tokenReads: number, maxMs: number): () => string | undefined {
  const deadline = Date.now() + maxMs;
  return () => ((counts.get(name)?.tokenReads ?? 0) < tokenReads && Date.now() < deadline ? name : undefined);
}
