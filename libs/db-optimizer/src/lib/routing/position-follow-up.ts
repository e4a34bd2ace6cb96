import type { PoolClient } from 'pg';
import { currentWalLsn } from '../core/statement-runner';

/**
 * Up to this many writes in flight (this one included), each reads its position in its own round
 * trip. Measured at 32 callers: with a shared read per batch, 50/50 reads/writes did 4% more
 * operations than with a read behind every write; 90/10 did the same either way (see issue #13's notes).
 */
export const PIPELINED_POSITION_MAX_WRITES_IN_FLIGHT = 2;

/** What pg 8.23's client has for sending queries without waiting for the previous answer. */
interface PipelineCapable {
  pipeline: boolean;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * The WAL position read sent right behind a write, on the write's own connection, in the same
 * round trip: the server runs it after the write's Sync, that is after the write committed, so
 * the position it returns covers the write. Without it a write waits for its answer, then a
 * loop turn, then a second round trip (`SharedPositionRead`).
 *
 * It relies on pg's pipeline mode (pg 8.23's `pipeline` flag, which pg reads as it sends and as
 * answers arrive): switched on when the read is queued behind the statement, back off only
 * once both have answered, so nothing else is ever in flight on the connection in a mode pg
 * did not expect. The read is valid only when it went behind the statement's last
 * submission: when the statement cache re-sends the statement (recovery after a failure), the
 * read is void and the caller reads the position the usual way.
 *
 * @example
 * const followUp = PositionFollowUp.for(client);
 * const result = await followUp.submitting(() => statements.execute(client, sql, params, undefined, followUp.afterSubmit));
 * const lsn = (await followUp.settle()) ?? (await sharedRead.after(client));
 */
export class PositionFollowUp {
  private read: Promise<string> | undefined;
  private resent = false;
  private wasPipelined = false;

  private constructor(private readonly client: PoolClient & PipelineCapable) {}

  /** A follow-up for this client, or undefined when its pg has no pipeline mode (before 8.23, the native binding). */
  static for(client: PoolClient): PositionFollowUp | undefined {
    return typeof (client as Partial<PipelineCapable>).pipeline === 'boolean' ? new PositionFollowUp(client as PoolClient & PipelineCapable) : undefined;
  }

  /** Runs `send` with the connection's socket corked, so the statement and the read leave in one write. */
  submitting<T>(send: () => T): T {
    const stream = this.client.connection?.stream;
    stream?.cork?.();
    try {
      return send();
    } finally {
      stream?.uncork?.();
    }
  }

  /** Hand to the statement cache: called each time it hands the statement to pg. */
  readonly afterSubmit = (): void => {
    if (this.read !== undefined) {
      this.resent = true;
      return;
    }
    this.wasPipelined = this.client.pipeline;
    this.client.pipeline = true;
    this.read = currentWalLsn(this.client);
    // Settled by `settle()`; until then a failure must not count as unhandled.
    this.read.catch(() => undefined);
  };

  /**
   * Waits for the read and puts the connection back in its own mode. Call it once the statement
   * settled, on every path, before the client goes back to the pool. Resolves to the position when
   * the read went behind the statement's final submission and answered; undefined otherwise.
   */
  async settle(): Promise<string | undefined> {
    if (this.read === undefined) return undefined;
    try {
      const lsn = await this.read;
      return this.resent ? undefined : lsn;
    } catch {
      return undefined;
    } finally {
      this.client.pipeline = this.wasPipelined;
    }
  }
}
