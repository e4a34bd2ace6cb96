import {
  GROW_SLOW_ACQUISITION,
  GROW_WAITING,
  HOLD_AT_MAX,
  HOLD_AT_MIN,
  HOLD_IN_USE,
  HOLD_LOW_USE,
  HOLD_SLOW_CONNECTING,
  INVALID_SIZING_OPTION,
  SHRINK_LOW_USE,
} from './pool-resize.messages';
import type {
  PoolSizingDecision,
  PoolSizingHistory,
  PoolSizingInput,
  PoolSizingPolicyOptions,
} from './pool-sizing.interface';

/** History of a pool the policy has not seen yet. */
export const INITIAL_SIZING_HISTORY: Readonly<PoolSizingHistory> = { lowUseIntervals: 0 };

/**
 * Decides one pool's next limit from what it did during the last interval.
 * Pure: same input and history, same decision. It grows fast (×1.5, or by the
 * number of waiting callers, at least +1) when callers waited or a saturated
 * pool acquired slowly, and shrinks slowly (10%, at least 1) only after several
 * consecutive intervals whose peak use stayed below half the limit. Limits stay
 * within [max(min, 1), max]; the connection budget is applied afterwards.
 * @publicApi
 *
 * @example
 * const policy = new PoolSizingPolicy({ acquisitionTargetMs: 5 });
 * const { action, newLimit, reason, history } = policy.decide(
 *   { limit: 4, min: 2, max: 20, peakBusy: 4, peakWaiting: 3 },
 *   INITIAL_SIZING_HISTORY,
 * ); // 'grow', 7, '3 caller(s) waited for a connection'
 */
export class PoolSizingPolicy {
  private readonly acquisitionTargetMs: number;
  private readonly growFactor: number;
  private readonly lowUseRatio: number;
  private readonly shrinkAfterIntervals: number;
  private readonly shrinkStepRatio: number;

  constructor(options: PoolSizingPolicyOptions = {}) {
    this.acquisitionTargetMs = checked('acquisitionTargetMs', options.acquisitionTargetMs, 5, (v) => v > 0, 'a number > 0');
    this.growFactor = checked('growFactor', options.growFactor, 1.5, (v) => v > 1, 'a number > 1');
    this.lowUseRatio = checked('lowUseRatio', options.lowUseRatio, 0.5, (v) => v > 0 && v <= 1, 'a fraction in (0, 1]');
    this.shrinkAfterIntervals = checked(
      'shrinkAfterIntervals',
      options.shrinkAfterIntervals,
      3,
      (v) => Number.isInteger(v) && v >= 1,
      'an integer >= 1',
    );
    this.shrinkStepRatio = checked('shrinkStepRatio', options.shrinkStepRatio, 0.1, (v) => v > 0 && v < 1, 'a fraction in (0, 1)');
  }

  decide(input: PoolSizingInput, history: PoolSizingHistory): PoolSizingDecision {
    // ManagedPool never goes below 1 connection, even with min 0.
    const floor = Math.max(input.min, 1);
    const ceiling = Math.max(input.max, floor);
    const limit = Math.min(ceiling, Math.max(floor, input.limit));
    const pressure = this.pressure(input, limit);
    if (pressure !== undefined) return this.grow(input, limit, ceiling, pressure);
    const p99 = input.acquisitionP99Ms;
    if (p99 !== undefined && p99 > this.acquisitionTargetMs) {
      return hold(limit, HOLD_SLOW_CONNECTING(p99, this.acquisitionTargetMs, input.peakBusy, limit), INITIAL_SIZING_HISTORY);
    }
    if (input.peakBusy >= limit * this.lowUseRatio) return hold(limit, HOLD_IN_USE(input.peakBusy, limit), INITIAL_SIZING_HISTORY);
    return this.lowUse(input, limit, floor, history.lowUseIntervals + 1);
  }

  /** Why the pool needs more connections, or `undefined` when it does not. */
  private pressure(input: PoolSizingInput, limit: number): string | undefined {
    if (input.peakWaiting > 0) return GROW_WAITING(input.peakWaiting);
    const p99 = input.acquisitionP99Ms;
    // A slow p99 without saturation comes from connecting, not queueing: more room would not help.
    if (p99 !== undefined && p99 > this.acquisitionTargetMs && input.peakBusy >= limit) {
      return GROW_SLOW_ACQUISITION(p99, this.acquisitionTargetMs, input.peakBusy);
    }
    return undefined;
  }

  private grow(input: PoolSizingInput, limit: number, ceiling: number, pressure: string): PoolSizingDecision {
    const wanted = Math.max(limit + 1, Math.ceil(limit * this.growFactor), limit + input.peakWaiting);
    const newLimit = Math.min(ceiling, wanted);
    if (newLimit <= limit) return hold(limit, HOLD_AT_MAX(pressure, ceiling), INITIAL_SIZING_HISTORY);
    return { action: 'grow', newLimit, reason: pressure, history: { ...INITIAL_SIZING_HISTORY } };
  }

  private lowUse(input: PoolSizingInput, limit: number, floor: number, streak: number): PoolSizingDecision {
    if (limit <= floor) return hold(limit, HOLD_AT_MIN(input.peakBusy, limit), INITIAL_SIZING_HISTORY);
    if (streak < this.shrinkAfterIntervals) {
      return hold(limit, HOLD_LOW_USE(input.peakBusy, limit, streak, this.shrinkAfterIntervals), { lowUseIntervals: streak });
    }
    const step = Math.max(1, Math.floor(limit * this.shrinkStepRatio));
    // The streak restarts after each step, so the next step needs another full run of low-use intervals.
    return {
      action: 'shrink',
      newLimit: Math.max(floor, limit - step),
      reason: SHRINK_LOW_USE(input.peakBusy, limit, streak),
      history: { ...INITIAL_SIZING_HISTORY },
    };
  }
}

function hold(limit: number, reason: string, history: PoolSizingHistory): PoolSizingDecision {
  return { action: 'hold', newLimit: limit, reason, history: { ...history } };
}

function checked(name: string, value: number | undefined, fallback: number, valid: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || !valid(value)) throw new RangeError(INVALID_SIZING_OPTION(name, value, expected));
  return value;
}
