import type { PoolSizingHistory, PoolSizingInput } from './pool-sizing.interface';
import { INITIAL_SIZING_HISTORY, PoolSizingPolicy } from './pool-sizing-policy';

const input = (overrides: Partial<PoolSizingInput> = {}): PoolSizingInput => ({
  limit: 10,
  min: 2,
  max: 20,
  peakBusy: 6,
  peakWaiting: 0,
  ...overrides,
});

describe('PoolSizingPolicy', () => {
  const policy = new PoolSizingPolicy({ acquisitionTargetMs: 5 });

  describe('#decide: growing', () => {
    it('grows by half when callers waited', () => {
      const decision = policy.decide(input({ peakBusy: 10, peakWaiting: 1 }), INITIAL_SIZING_HISTORY);
      expect(decision).toMatchObject({ action: 'grow', newLimit: 15 });
      expect(decision.reason).toBe('1 caller(s) waited for a connection');
    });

    it('grows by the number of waiting callers when that is more than half', () => {
      expect(policy.decide(input({ peakWaiting: 8 }), INITIAL_SIZING_HISTORY)).toMatchObject({ action: 'grow', newLimit: 18 });
    });

    it('grows by at least one', () => {
      expect(policy.decide(input({ limit: 1, min: 1, peakBusy: 1, peakWaiting: 1 }), INITIAL_SIZING_HISTORY).newLimit).toBe(2);
    });

    it('never grows past max', () => {
      expect(policy.decide(input({ limit: 18, peakWaiting: 50 }), INITIAL_SIZING_HISTORY)).toMatchObject({ action: 'grow', newLimit: 20 });
    });

    it('holds at max and says to raise it', () => {
      const decision = policy.decide(input({ limit: 20, peakBusy: 20, peakWaiting: 4 }), INITIAL_SIZING_HISTORY);
      expect(decision).toMatchObject({ action: 'hold', newLimit: 20 });
      expect(decision.reason).toMatch(/4 caller\(s\) waited .* already at its max \(20\); raise the pool's max/);
    });

    it('grows a saturated pool whose acquisition p99 exceeds the target', () => {
      const decision = policy.decide(input({ peakBusy: 10, acquisitionP99Ms: 12 }), INITIAL_SIZING_HISTORY);
      expect(decision).toMatchObject({ action: 'grow', newLimit: 15 });
      expect(decision.reason).toBe('acquisition p99 12 ms exceeded the 5 ms target with all 10 connections busy');
    });

    it('holds when p99 is slow but the pool never filled: connecting, not queueing, took the time', () => {
      const decision = policy.decide(input({ peakBusy: 4, acquisitionP99Ms: 12 }), { lowUseIntervals: 2 });
      expect(decision).toMatchObject({ action: 'hold', newLimit: 10, history: { lowUseIntervals: 0 } });
      expect(decision.reason).toMatch(/the time went to opening connections/);
    });

    it('restarts the low-use streak on growth', () => {
      expect(policy.decide(input({ peakWaiting: 1 }), { lowUseIntervals: 2 }).history).toEqual({ lowUseIntervals: 0 });
    });
  });

  describe('#decide: shrinking', () => {
    const lowUse = input({ limit: 20, peakBusy: 3 });

    function run(intervals: number, start: PoolSizingHistory = INITIAL_SIZING_HISTORY) {
      let history = start;
      let decision = policy.decide(lowUse, history);
      for (let i = 0; i < intervals; i++) {
        decision = policy.decide(lowUse, history);
        history = decision.history;
      }
      return decision;
    }

    it('holds through the first low-use intervals, counting them', () => {
      const decision = run(2);
      expect(decision).toMatchObject({ action: 'hold', newLimit: 20, history: { lowUseIntervals: 2 } });
      expect(decision.reason).toBe('low use (peak 3 of 20 busy) for 2 of the 3 intervals needed before shrinking');
    });

    it('shrinks by 10% after three consecutive low-use intervals, then starts counting again', () => {
      const decision = run(3);
      expect(decision).toMatchObject({ action: 'shrink', newLimit: 18, history: { lowUseIntervals: 0 } });
      expect(decision.reason).toBe('low use (peak 3 of 20 busy) for 3 consecutive intervals');
    });

    it('shrinks by at least one', () => {
      expect(policy.decide(input({ limit: 5, peakBusy: 0 }), { lowUseIntervals: 2 })).toMatchObject({ action: 'shrink', newLimit: 4 });
    });

    it('never shrinks below min', () => {
      const decision = policy.decide(input({ limit: 2, min: 2, peakBusy: 0 }), { lowUseIntervals: 2 });
      expect(decision).toMatchObject({ action: 'hold', newLimit: 2 });
      expect(decision.reason).toMatch(/already at its min/);
    });

    it('never shrinks below 1, even with min 0', () => {
      expect(policy.decide(input({ limit: 1, min: 0, peakBusy: 0 }), { lowUseIntervals: 5 })).toMatchObject({ action: 'hold', newLimit: 1 });
    });

    it('breaks the streak when use reaches half the limit', () => {
      const decision = policy.decide(input({ limit: 20, peakBusy: 10 }), { lowUseIntervals: 2 });
      expect(decision).toMatchObject({ action: 'hold', newLimit: 20, history: { lowUseIntervals: 0 } });
      expect(decision.reason).toBe('peak 10 of 20 connections busy, no caller waited');
    });
  });

  describe('#decide: bounds', () => {
    it('brings a limit outside [min, max] back inside', () => {
      expect(policy.decide(input({ limit: 50, peakBusy: 40 }), INITIAL_SIZING_HISTORY).newLimit).toBe(20);
      expect(policy.decide(input({ limit: 0, peakBusy: 1 }), INITIAL_SIZING_HISTORY).newLimit).toBe(2);
    });

    it('honours its tuning options', () => {
      const eager = new PoolSizingPolicy({ growFactor: 2, shrinkAfterIntervals: 1, shrinkStepRatio: 0.5, lowUseRatio: 0.25 });
      expect(eager.decide(input({ peakWaiting: 1 }), INITIAL_SIZING_HISTORY).newLimit).toBe(20);
      expect(eager.decide(input({ peakBusy: 2 }), INITIAL_SIZING_HISTORY)).toMatchObject({ action: 'shrink', newLimit: 5 });
      expect(eager.decide(input({ peakBusy: 3 }), INITIAL_SIZING_HISTORY).action).toBe('hold');
    });
  });

  describe('#constructor', () => {
    it('rejects tuning that would never shrink or never grow, naming the option', () => {
      expect(() => new PoolSizingPolicy({ growFactor: 1 })).toThrow('PoolSizingPolicy option growFactor=1 is invalid: expected a number > 1.');
      expect(() => new PoolSizingPolicy({ shrinkAfterIntervals: 0.5 })).toThrow(/shrinkAfterIntervals=0.5 .* an integer >= 1/);
      expect(() => new PoolSizingPolicy({ shrinkStepRatio: 1 })).toThrow(/shrinkStepRatio/);
      expect(() => new PoolSizingPolicy({ lowUseRatio: Number.NaN })).toThrow(/lowUseRatio/);
      expect(() => new PoolSizingPolicy({ acquisitionTargetMs: 0 })).toThrow(/acquisitionTargetMs/);
    });
  });
});
