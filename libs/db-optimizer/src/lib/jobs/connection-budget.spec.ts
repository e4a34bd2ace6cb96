import { allocateBudget, BudgetRequest, connectionBudget } from './connection-budget';

const request = (overrides: Partial<BudgetRequest> = {}): BudgetRequest => ({
  floor: 1,
  current: 2,
  proposed: 2,
  waiting: false,
  ...overrides,
});

const total = (limits: number[]): number => limits.reduce((a, b) => a + b, 0);

describe('connectionBudget', () => {
  it('splits what max_connections leaves after the reserve across the instances, rounding down', () => {
    expect(connectionBudget(100, 10, 1)).toBe(90);
    expect(connectionBudget(100, 10, 4)).toBe(22);
    expect(connectionBudget(16, 10, 2)).toBe(3);
  });

  it('is never negative', () => {
    expect(connectionBudget(10, 20, 1)).toBe(0);
  });
});

describe('allocateBudget', () => {
  it('grants every proposal when they fit', () => {
    const requests = [request({ proposed: 5, waiting: true }), request({ proposed: 1 })];
    expect(allocateBudget(10, requests)).toEqual({ limits: [5, 1], floorsExceedBudget: false });
  });

  it('gives the growth of pools whose callers waited first', () => {
    const requests = [request({ current: 2, proposed: 5 }), request({ current: 2, proposed: 5, waiting: true })];
    expect(allocateBudget(6, requests).limits).toEqual([2, 4]);
  });

  it('shares growth that does not fit in proportion to the claims', () => {
    const requests = [request({ current: 1, proposed: 7, waiting: true }), request({ current: 1, proposed: 4, waiting: true })];
    // 3 left after the floors: claims 6 and 3 get 2 and 1.
    expect(allocateBudget(5, requests).limits).toEqual([3, 2]);
  });

  it('keeps current limits before granting any growth', () => {
    const requests = [request({ current: 4, proposed: 4 }), request({ current: 1, proposed: 3, waiting: true })];
    expect(allocateBudget(5, requests).limits).toEqual([4, 1]);
  });

  it('cuts limits above the budget (pools start at their max) down to it', () => {
    const requests = [request({ current: 10, proposed: 10 }), request({ current: 10, proposed: 10 })];
    const { limits } = allocateBudget(3, requests);
    expect(total(limits)).toBe(3);
    expect(limits).toEqual([2, 1]);
  });

  it('applies shrink proposals as they are', () => {
    expect(allocateBudget(50, [request({ current: 10, proposed: 9 })]).limits).toEqual([9]);
  });

  it('reports floors that alone exceed the budget and grants just the floors', () => {
    const requests = [request({ floor: 5, current: 8, proposed: 9 }), request({ floor: 5, current: 5, proposed: 5 })];
    expect(allocateBudget(6, requests)).toEqual({ limits: [5, 5], floorsExceedBudget: true });
  });

  it('never exceeds the budget nor a proposal, and never goes below a floor', () => {
    // A deterministic sweep instead of random inputs: same cases on every run.
    for (let budget = 0; budget <= 30; budget++) {
      for (let waitingMask = 0; waitingMask < 8; waitingMask++) {
        const requests = [0, 1, 2].map((i) =>
          request({ floor: 1 + i, current: 3 + 2 * i, proposed: 2 + 4 * i, waiting: (waitingMask & (1 << i)) !== 0 }),
        );
        const { limits, floorsExceedBudget } = allocateBudget(budget, requests);
        if (floorsExceedBudget) {
          expect(limits).toEqual([1, 2, 3]);
          continue;
        }
        expect(total(limits)).toBeLessThanOrEqual(budget);
        limits.forEach((limit, i) => {
          expect(limit).toBeGreaterThanOrEqual(requests[i].floor);
          expect(limit).toBeLessThanOrEqual(Math.max(requests[i].proposed, requests[i].floor));
        });
      }
    }
  });
});
