/**
 * Connections one app instance may hold on one server: what `max_connections`
 * leaves after the reserve (admins, migrations, replication), split evenly
 * across the instances. Never negative.
 *
 * @example
 * connectionBudget(100, 10, 3); // 30
 */
export function connectionBudget(maxConnections: number, reservedConnections: number, instances: number): number {
  return Math.max(0, Math.floor((maxConnections - reservedConnections) / Math.max(1, instances)));
}

/** One pool's claim on its server's budget. */
export interface BudgetRequest {
  /** The lowest limit the pool can have: `max(min, 1)`. Always granted. */
  floor: number;
  /** Its limit now. */
  current: number;
  /** The limit the sizing policy proposes (between `floor` and the pool's max). */
  proposed: number;
  /** Callers waited on it during the interval: its growth is served first. */
  waiting: boolean;
}

/** Limits granted to the pools of one server, in request order. */
export interface BudgetAllocation {
  limits: number[];
  /** The floors alone exceed the budget: every pool got its floor, and the sum is over budget. */
  floorsExceedBudget: boolean;
}

/**
 * Shares a server's budget among its pools so the sum of limits never exceeds
 * it (unless the floors alone do). Granted in tiers, each tier only from what
 * the previous ones left: first every floor, then each pool's current limit
 * (or its proposed one if lower), then growth of pools whose callers waited,
 * then any other growth. A tier that does not fit is shared in proportion to
 * the claims. No pool gets more than it proposed.
 *
 * @example
 * allocateBudget(6, [
 *   { floor: 1, current: 2, proposed: 5, waiting: true },
 *   { floor: 1, current: 2, proposed: 4, waiting: false },
 * ]); // { limits: [4, 2], floorsExceedBudget: false }
 */
export function allocateBudget(budget: number, requests: readonly BudgetRequest[]): BudgetAllocation {
  const limits = requests.map((request) => request.floor);
  let left = budget - sum(limits);
  if (left < 0) return { limits, floorsExceedBudget: true };
  const keep = requests.map((r) => Math.max(0, Math.min(r.current, r.proposed) - r.floor));
  left = grant(left, keep, limits);
  const growth = requests.map((r) => Math.max(0, r.proposed - Math.max(r.current, r.floor)));
  left = grant(left, growth.map((g, i) => (requests[i].waiting ? g : 0)), limits);
  grant(left, growth.map((g, i) => (requests[i].waiting ? 0 : g)), limits);
  return { limits, floorsExceedBudget: false };
}

/**
 * Adds to `limits` what fits of `claims` and returns what is left. When the
 * claims exceed `available`, each gets its proportional share rounded down,
 * and the remainder goes one by one to the largest fractions (earlier wins ties).
 */
function grant(available: number, claims: number[], limits: number[]): number {
  const claimed = sum(claims);
  if (claimed <= available) {
    claims.forEach((claim, i) => (limits[i] += claim));
    return available - claimed;
  }
  const shares = claims.map((claim) => (claim * available) / claimed);
  const whole = shares.map(Math.floor);
  let remainder = available - sum(whole);
  const byFraction = shares.map((share, i) => ({ i, fraction: share - whole[i] })).sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  for (const { i } of byFraction) {
    if (remainder === 0) break;
    if (whole[i] < claims[i]) {
      whole[i]++;
      remainder--;
    }
  }
  whole.forEach((extra, i) => (limits[i] += extra));
  return 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
