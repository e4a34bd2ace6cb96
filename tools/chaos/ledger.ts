/** One acknowledged write: the value a row got, when the caller heard so, through which instance. */
export interface Ack {
  value: number;
  ackedAt: number;
  instance: number;
}

/**
 * Every write the module acknowledged, per row. Each row is written by one
 * caller only, one write at a time, with values that only grow: so the row's
 * final value must be at least its last acknowledged value, and a read that
 * returns less than an earlier acknowledged value saw the past.
 */
export class Ledger {
  private readonly acks = new Map<number, Ack[]>();
  acknowledged = 0;
  /** Writes that failed: they may or may not have committed (the check allows both). */
  inDoubt = 0;

  recordAck(row: number, value: number, instance: number, ackedAt = Date.now()): void {
    const history = this.acks.get(row) ?? [];
    history.push({ value, ackedAt, instance });
    this.acks.set(row, history);
    this.acknowledged++;
  }

  /** When the write that set `row` to `value` was acknowledged. */
  ackedAt(row: number, value: number): number | undefined {
    return this.acks.get(row)?.find((ack) => ack.value === value)?.ackedAt;
  }

  /**
   * The newest write a read that started at `startedAt` on `instance` must see:
   * writes through the same instance as soon as they were acknowledged, writes
   * through another instance once `crossInstanceWindowMs` has passed.
   */
  mustSee(row: number, instance: number, startedAt: number, crossInstanceWindowMs: number): number | undefined {
    const history = this.acks.get(row);
    if (!history) return undefined;
    // Values grow along the history, so the newest entry that qualifies is the answer.
    for (let i = history.length - 1; i >= 0; i--) {
      const ack = history[i];
      const deadline = ack.instance === instance ? ack.ackedAt : ack.ackedAt + crossInstanceWindowMs;
      if (deadline < startedAt) return ack.value;
    }
    return undefined;
  }

  /** Rows whose value on the server is below their last acknowledged write. */
  lostWrites(finalValues: ReadonlyMap<number, number>): Array<{ row: number; acked: number; found: number | undefined }> {
    const lost: Array<{ row: number; acked: number; found: number | undefined }> = [];
    for (const [row, history] of this.acks) {
      const acked = history[history.length - 1].value;
      const found = finalValues.get(row);
      if (found === undefined || found < acked) lost.push({ row, acked, found });
    }
    return lost;
  }
}
