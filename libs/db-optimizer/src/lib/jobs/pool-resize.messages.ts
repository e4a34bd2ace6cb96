/*
 * Messages of pool auto-sizing: decision reasons and warnings, as sentences
 * that name the problem and the fix. Candidates for errors/messages.ts.
 */

const ms = (value: number): string => `${Math.round(value * 10) / 10} ms`;

export const INVALID_SIZING_OPTION = (option: string, value: unknown, expected: string): string =>
  `PoolSizingPolicy option ${option}=${String(value)} is invalid: expected ${expected}.`;

export const GROW_WAITING = (waiting: number): string =>
  `${waiting} caller(s) waited for a connection`;

export const GROW_SLOW_ACQUISITION = (p99Ms: number, targetMs: number, busy: number): string =>
  `acquisition p99 ${ms(p99Ms)} exceeded the ${ms(targetMs)} target with all ${busy} connections busy`;

export const HOLD_AT_MAX = (pressure: string, max: number): string =>
  `${pressure}, but the pool is already at its max (${max}); raise the pool's max if this persists`;

export const HOLD_SLOW_CONNECTING = (p99Ms: number, targetMs: number, peakBusy: number, limit: number): string =>
  `acquisition p99 ${ms(p99Ms)} exceeded the ${ms(targetMs)} target, but at most ${peakBusy} of ${limit} connections ` +
  'were busy: the time went to opening connections, which a larger limit would not shorten';

export const HOLD_LOW_USE = (peakBusy: number, limit: number, streak: number, needed: number): string =>
  `low use (peak ${peakBusy} of ${limit} busy) for ${streak} of the ${needed} intervals needed before shrinking`;

export const HOLD_AT_MIN = (peakBusy: number, limit: number): string =>
  `low use (peak ${peakBusy} of ${limit} busy), but the pool is already at its min`;

export const HOLD_IN_USE = (peakBusy: number, limit: number): string =>
  `peak ${peakBusy} of ${limit} connections busy, no caller waited`;

export const SHRINK_LOW_USE = (peakBusy: number, limit: number, intervals: number): string =>
  `low use (peak ${peakBusy} of ${limit} busy) for ${intervals} consecutive intervals`;

export const BUDGET_CAPPED = (proposed: number, granted: number, server: string, budget: number): string =>
  `limit ${proposed} capped to ${granted} by the connection budget of ${server} (${budget} for this instance, shared by its pools)`;

export const BUDGET_UNKNOWN = (server: string): string =>
  `growth held: the connection budget of ${server} is unknown until max_connections can be read`;

export const MAX_CONNECTIONS_UNREADABLE = (server: string, reason: string): string =>
  `Could not read max_connections from ${server} (${reason}); pools on it will not grow until it can be read, ` +
  'which is retried on every resize run. Check that the server is up and the pool can connect.';

export const MINIMUMS_EXCEED_BUDGET = (
  server: string,
  minimums: number,
  budget: number,
  maxConnections: number,
  reserved: number,
  instances: number,
): string =>
  `Pools on ${server} need at least ${minimums} connections (the sum of their min), but this instance's budget is ` +
  `${budget}: floor((max_connections ${maxConnections} - reservedConnections ${reserved}) / instances ${instances}). ` +
  'The pools keep their min and may exceed the budget: lower the pools\' min, reservedConnections or instances, ' +
  'or raise max_connections on the server.';

export const NO_SCHEDULER_REGISTRY = (jobName: string): string =>
  `SchedulerRegistry is not available, so the pool auto-sizing job "${jobName}" runs on a private timer that the app ` +
  'cannot find, pause or replace. Import ScheduleModule.forRoot() from @nestjs/schedule in the application module ' +
  'to register it there, or set poolResizeIntervalMs to 0 to turn auto-sizing off.';

export const RESIZE_RUN_FAILED = (reason: string): string =>
  `A pool resize run failed (${reason}); limits were left as they were and the next run will try again.`;
