import type { ModuleInstance } from './instances';
import type { Ledger } from './ledger';
import type { Pacer } from './pacer';
import { Prng } from './prng';
import type { OpKind, Recorder } from './recorder';

export const TABLE = 'chaos_rows';
const READ = `SELECT counter FROM ${TABLE} WHERE id = $1`;
const WRITE = `UPDATE ${TABLE} SET counter = $2 WHERE id = $1`;
const BAD_SQL: readonly string[] = [
  'SELEC counter FROM chaos_rows WHERE id = $1',
  'SELECT counter FROM chaos_missing_table WHERE id = $1',
  'SELECT counter / (id - id) FROM chaos_rows WHERE id = $1',
];
const BIG_TEXT_BYTES = 1 << 20;
/** Longer than any fault holds a call legitimately (acquire timeout, statement timeout, a restart). */
const HUNG_AFTER_MS = 30_000;

/** Share of each operation kind in the mix. */
const MIX: Readonly<Record<OpKind, number>> = {
  read: 35,
  'read-token': 15,
  'read-session': 10,
  'read-uncached': 3,
  write: 20,
  transaction: 6,
  batch: 5,
  'bad-sql': 3,
  'oversized-param': 3,
};

/** What callers share: the instances, the books, and the runner's view of the current fault. */
export interface WorkloadContext {
  instances: readonly ModuleInstance[];
  ledger: Ledger;
  recorder: Recorder;
  pacer: Pacer;
  rowsPerCaller: number;
  callers: number;
  currentPhase(): string;
  /** How long another instance's write may stay invisible to a cached read right now. */
  crossInstanceWindowMs(): number;
  nextValue(): number;
}

/** Ids of a caller's own rows: only that caller writes them, one write at a time. */
export function rowsOf(caller: number, rowsPerCaller: number): number[] {
  return Array.from({ length: rowsPerCaller }, (_, i) => caller * rowsPerCaller + i + 1);
}

class HungOperationError extends Error {}

/**
 * One concurrent caller. It writes only its own rows (so the ledger knows
 * their order), reads anyone's, and checks every read against what was
 * acknowledged before the read started.
 */
export class Caller {
  private readonly prng: Prng;
  private readonly ownRows: number[];
  private readonly sessionKey: string;
  private readonly home: ModuleInstance;
  private readonly lastTokenWrite = new Map<number, { value: number; token: string; instance: number; ackedAt: number }>();
  private readonly lastSessionWrite = new Map<number, number>();

  constructor(
    private readonly index: number,
    seed: number,
    private readonly context: WorkloadContext,
  ) {
    this.prng = new Prng(seed * 1000 + index);
    this.ownRows = rowsOf(index, context.rowsPerCaller);
    this.sessionKey = `chaos-session-${index}`;
    this.home = context.instances[index % context.instances.length];
  }

  async run(): Promise<void> {
    while ((await this.context.pacer.next()) !== undefined) {
      const kind = this.prng.weighted(MIX);
      const phase = this.context.currentPhase();
      try {
        const outcome = await withDeadline(this.operate(kind, phase), HUNG_AFTER_MS);
        if (outcome === 'expected-failure') continue;
        this.context.recorder.ok(phase, kind);
      } catch (error) {
        if (error instanceof HungOperationError) this.context.recorder.hungOperations++;
        if (isExpectedFailure(kind, error)) this.context.recorder.expectedFailure(phase, kind, error);
        else this.context.recorder.failed(phase, kind, error);
      }
    }
  }

  private async operate(kind: OpKind, phase: string): Promise<'ok' | 'expected-failure'> {
    switch (kind) {
      case 'read':
        return this.plainRead(phase, true);
      case 'read-uncached':
        return this.plainRead(phase, false);
      case 'read-token':
        return this.tokenRead(phase);
      case 'read-session':
        return this.sessionRead(phase);
      case 'write':
        return this.write();
      case 'transaction':
        return this.transaction();
      case 'batch':
        return this.batch();
      case 'bad-sql':
        return this.badSql(phase);
      case 'oversized-param':
        return this.oversized(phase);
      default: {
        const unknownKind: never = kind;
        throw new Error(`Unknown operation kind ${String(unknownKind)}.`);
      }
    }
  }

  private async plainRead(phase: string, useCache: boolean): Promise<'ok'> {
    const instance = this.prng.pick(this.context.instances);
    const row = 1 + this.prng.below(this.context.rowsPerCaller * this.context.callers);
    const startedAt = Date.now();
    const { rows, metadata } = await instance.db.executeOptimizedQuery<{ counter: string }>(READ, [row], { useCache });
    if (!useCache) return 'ok';
    const value = Number(rows[0]?.counter);
    const floor = this.context.ledger.mustSee(row, instance.index, startedAt, this.context.crossInstanceWindowMs());
    if (floor === undefined || value >= floor) return 'ok';
    const detail = `row ${row} on instance ${instance.index}: got ${value} (${metadata.cached || 'miss'}, ${metadata.server}), acknowledged ${floor} before the read`;
    if (metadata.cached) this.context.recorder.staleCacheRead(phase, detail);
    else this.context.recorder.staleTokenlessMisses++;
    return 'ok';
  }

  private async tokenRead(phase: string): Promise<'ok'> {
    const row = this.prng.pick(this.ownRows);
    const written = this.lastTokenWrite.get(row);
    const instance = this.prng.pick(this.context.instances);
    const options = written ? { consistencyToken: written.token } : {};
    const startedAt = Date.now();
    const { rows, metadata } = await instance.db.executeOptimizedQuery<{ counter: string }>(READ, [row], options);
    const value = Number(rows[0]?.counter);
    if (written && !(value >= written.value)) {
      this.context.recorder.readYourWritesViolation(
        phase,
        `token ${written.token} read of row ${row} on instance ${instance.index}: got ${value} from ${metadata.server} (${metadata.cached || 'miss'}); ` +
          `the token's write set ${written.value} through instance ${written.instance}, acknowledged ${startedAt - written.ackedAt} ms before the read`,
      );
    }
    return 'ok';
  }

  private async sessionRead(phase: string): Promise<'ok'> {
    const row = this.prng.pick(this.ownRows);
    const startedAt = Date.now();
    const { rows, metadata } = await this.home.db.executeOptimizedQuery<{ counter: string }>(READ, [row], { sessionKey: this.sessionKey });
    const value = Number(rows[0]?.counter);
    const floor = this.lastSessionWrite.get(row);
    if (floor !== undefined && !(value >= floor)) {
      this.context.recorder.readYourWritesViolation(
        phase,
        `session read of row ${row} on instance ${this.home.index}: got ${value} from ${metadata.server} (${metadata.cached || 'miss'}), the session wrote ${floor} (${startedAt - (this.context.ledger.ackedAt(row, floor) ?? startedAt)} ms before the read)`,
      );
    }
    return 'ok';
  }

  private async write(): Promise<'ok'> {
    const instance = this.prng.pick(this.context.instances);
    const atHome = instance === this.home;
    const row = this.prng.pick(this.ownRows);
    const value = this.context.nextValue();
    try {
      const { metadata } = await instance.db.executeOptimizedQuery(WRITE, [row, value], atHome ? { sessionKey: this.sessionKey } : {});
      if (metadata.rowCount !== 1) throw new Error(`UPDATE of row ${row} reported ${metadata.rowCount} rows, expected 1.`);
      this.acknowledge(row, value, instance, metadata.consistencyToken, atHome);
    } catch (error) {
      this.context.ledger.inDoubt++;
      throw error;
    }
    return 'ok';
  }

  private async transaction(): Promise<'ok'> {
    const writes = this.distinctRows(2).map((row) => ({ row, value: this.context.nextValue() }));
    try {
      const { metadata } = await this.home.db.executeTransactionOptimized(
        writes.map(({ row, value }) => [WRITE, [row, value]] as const),
        { sessionKey: this.sessionKey },
      );
      for (const { row, value } of writes) this.acknowledge(row, value, this.home, metadata.consistencyToken, true);
    } catch (error) {
      this.context.ledger.inDoubt += writes.length;
      throw error;
    }
    return 'ok';
  }

  private async batch(): Promise<'ok'> {
    const writes = this.distinctRows(2 + this.prng.below(2)).map((row) => ({ row, value: this.context.nextValue() }));
    const atomic = this.prng.next() < 0.5;
    try {
      const results = await this.home.db.executeBatchOptimized(
        writes.map(({ row, value }) => [WRITE, [row, value]] as const),
        { sessionKey: this.sessionKey, atomic },
      );
      writes.forEach(({ row, value }, i) => this.acknowledge(row, value, this.home, results[i]?.metadata.consistencyToken, true));
    } catch (error) {
      this.context.ledger.inDoubt += writes.length;
      throw error;
    }
    return 'ok';
  }

  private async badSql(phase: string): Promise<'ok'> {
    const sql = this.prng.pick(BAD_SQL);
    await this.prng.pick(this.context.instances).db.executeOptimizedQuery(sql, [this.prng.pick(this.ownRows)]);
    this.context.recorder.unexpectedSuccess(phase, `bad SQL succeeded: ${sql}`);
    return 'ok';
  }

  private async oversized(phase: string): Promise<'ok'> {
    const instance = this.prng.pick(this.context.instances);
    if (this.prng.next() < 0.5) {
      // Beyond int4: PostgreSQL must refuse it (22003), not the module crash or truncate it.
      await instance.db.executeOptimizedQuery(READ, [2 ** 40]);
      this.context.recorder.unexpectedSuccess(phase, 'an id of 2^40 for an int4 column was accepted');
      return 'ok';
    }
    const big = 'x'.repeat(BIG_TEXT_BYTES);
    const { rows } = await instance.db.executeOptimizedQuery<{ n: number }>('SELECT length($1::text) AS n', [big], { useCache: false });
    if (rows[0]?.n !== BIG_TEXT_BYTES) throw new Error(`A ${BIG_TEXT_BYTES}-byte parameter came back as length ${rows[0]?.n}.`);
    return 'ok';
  }

  private acknowledge(row: number, value: number, instance: ModuleInstance, token: string | undefined, withSession: boolean): void {
    this.context.ledger.recordAck(row, value, instance.index);
    if (token) this.lastTokenWrite.set(row, { value, token, instance: instance.index, ackedAt: Date.now() });
    if (withSession) this.lastSessionWrite.set(row, value);
  }

  private distinctRows(count: number): number[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, this.ownRows.length)) chosen.add(this.prng.pick(this.ownRows));
    // Ascending order: two transactions of one caller never overlap anyway, but keep lock order stable.
    return [...chosen].sort((a, b) => a - b);
  }
}

/** Bad SQL and an out-of-range id must fail; how they fail is counted apart from the faults' errors. */
function isExpectedFailure(kind: OpKind, error: unknown): boolean {
  if (kind === 'bad-sql') return true;
  if (kind !== 'oversized-param') return false;
  return error instanceof Error && /out of range/i.test(error.message + String((error as { cause?: Error }).cause?.message ?? ''));
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HungOperationError(`The call did not settle within ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
