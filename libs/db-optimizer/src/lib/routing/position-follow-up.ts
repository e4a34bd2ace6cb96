import type { PoolClient } from 'pg';
import { currentWalLsn } from '../core/statement-runner';
import { POSITION_READ_FAILED, POSITION_READ_LEFT_IN_FLIGHT } from '../core/errors/messages';
import { canPipeline, nothingInFlight, type PipelineCapableClient, socketOf } from '../pool/pipeline-mode';

/**
 * Up to this many writes in flight (this one included), each reads its position in its own round
 * trip. Measured at 32 callers: with a shared read per batch, 50/50 reads/writes did 4% more
 * operations than with a read behind every write; 90/10 did the same either way (see issue #13's notes).
 */
export const PIPELINED_POSITION_MAX_WRITES_IN_FLIGHT = 2;

/**
 * The WAL position read sent right behind a write, on the write's own connection, in the same
 * round trip: the server runs it after the write's Sync, that is after the write committed, so
 * the position it returns covers the write. Without it a write waits for its answer, then a
 * loop turn, then a second round trip (`SharedPositionRead`).
 *
 * It relies on pg's pipeline mode (pg 8.23's `pipeline` flag, which pg reads as it sends and as
 * answers arrive): switched on before the statement is handed to pg, and back off only once the
 * statement and the read have both answered. Switching it on first matters: a statement pg
 * refuses before sending it never becomes the one answers are routed to. The read is valid only
 * when it went behind the statement's last submission: when the statement cache re-sends the
 * statement (recovery after a failure), the read is void and the caller reads the position the
 * usual way. Not used with pg's `query_timeout`, which in pipeline mode destroys the connection
 * instead of waiting for the late answer.
 *
 * @example
 * const followUp = PositionFollowUp.for(client); // undefined: read the position the usual way
 * const execution = followUp.submitting(() => statements.execute(client, sql, params, undefined, followUp.afterSubmit));
 * await execution.catch(() => undefined);
 * const lsn = await followUp.settle();
 * // undefined and not in doubt (a retried statement): read it after the commit; in doubt: no position, close the client.
 * pool.release(client, undefined, followUp.inDoubt);
 */
export class PositionFollowUp {
  private read: Promise<string> | undefined;
  private resent = false;
  private wasPipelined = false;
  private doubtful = false;
  private failure: unknown;

  private constructor(private readonly client: PipelineCapableClient) {}

  /**
   * A follow-up for this client, or undefined when it cannot have one: a pg without pipeline
   * mode (before 8.23, the native binding) or a connection with pg's `query_timeout`.
   */
  static for(client: PoolClient): PositionFollowUp | undefined {
    return canPipeline(client) ? new PositionFollowUp(client) : undefined;
  }

  /**
   * After `settle()`: the read failed or something is still in flight on the connection, which
   * then must not be used again (release it with `discard`).
   */
  get inDoubt(): boolean {
    return this.doubtful;
  }

  /** Why the connection is in doubt: the read's error, or what was left in flight. */
  get doubt(): string | undefined {
    if (!this.doubtful) return undefined;
    return this.failure === undefined ? POSITION_READ_LEFT_IN_FLIGHT : POSITION_READ_FAILED(this.failure);
  }

  /**
   * Switches the connection to pipeline mode and runs `send` (which hands the statement to pg)
   * with its socket corked, so the statement and the read leave in one write. Never throws:
   * a synchronous failure of `send` comes back as the rejected promise.
   */
  submitting<T>(send: () => Promise<T>): Promise<T> {
    this.wasPipelined = this.client.pipeline;
    this.client.pipeline = true;
    const stream = socketOf(this.client);
    stream?.cork?.();
    try {
      return send();
    } catch (error) {
      return Promise.reject(error);
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
    this.read = currentWalLsn(this.client);
    // Settled by `settle()`; until then a failure must not count as unhandled.
    this.read.catch(() => undefined);
  };

  /**
   * Call once the statement settled, on every path, before anything else is sent on the
   * connection or it goes back to the pool: waits for the read and puts the connection back in
   * its own mode. Resolves to the position when the read went behind the statement's final
   * submission and answered, with nothing left in flight; undefined otherwise.
   */
  async settle(): Promise<string | undefined> {
    let lsn: string | undefined;
    let failed = false;
    try {
      if (this.read !== undefined) lsn = await this.read;
    } catch (error) {
      failed = true;
      this.failure = error;
    }
    this.doubtful = failed || !nothingInFlight(this.client);
    this.client.pipeline = this.wasPipelined;
    return this.resent || this.doubtful ? undefined : lsn;
  }
}
