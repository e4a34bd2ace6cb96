import type { SuggestionSeverity } from './suggestion.interface';

/** Lower bounds, highest first: a value above the first bound gets its severity. */
export type SeverityTiers = ReadonlyArray<readonly [bound: number, severity: SuggestionSeverity]>;

/** PgHero flags sequential scans on tables of at least this many rows. */
export const LARGE_TABLE_ROWS = 10_000;

/** pev2: share of scanned rows a filter threw away (above 50% / 90%). */
export const FILTER_REMOVED_TIERS: SeverityTiers = [
  [0.9, 'critical'],
  [0.5, 'warning'],
];

/** pev2's 10x / 100x / 1000x (inclusive): off by 10x misleads join choices; by 1000x, badly. */
export const ROW_ESTIMATE_TIERS: SeverityTiers = [
  [1000, 'critical'],
  [10, 'warning'],
];
/** Misestimates where both counts stay this small cannot change a plan much: not reported. */
export const ROW_ESTIMATE_MIN_ROWS = 100;

/** pev2: heap fetches as a share of an index-only scan's rows (above 0 / 40% / 90%). */
export const HEAP_FETCH_TIERS: SeverityTiers = [
  [0.9, 'critical'],
  [0.4, 'warning'],
  [0, 'info'],
];

/** pev2: one node's exclusive share of the execution time (above 10% / 40% / 90%). */
export const DOMINANT_NODE_TIERS: SeverityTiers = [
  [0.9, 'critical'],
  [0.4, 'warning'],
  [0.1, 'info'],
];
/** Below this execution time a node's share is not worth a suggestion. */
export const DOMINANT_NODE_MIN_EXECUTION_MS = 5;

/** A nested loop whose inner side ran this often, each time scanning without an index, is reported. */
export const NESTED_LOOP_MANY_LOOPS = 1000;
export const NESTED_LOOP_TIERS: SeverityTiers = [
  [100_000, 'critical'],
  [NESTED_LOOP_MANY_LOOPS - 1, 'warning'],
];

/** OFFSET from which keyset pagination pays off: the skipped rows are still read. */
export const LARGE_OFFSET = 1000;

/**
 * The severity of the first tier whose bound `value` exceeds (or reaches,
 * with `inclusive`: "off by 10x or more"), or undefined.
 */
export function severityFor(value: number, tiers: SeverityTiers, { inclusive = false } = {}): SuggestionSeverity | undefined {
  return tiers.find(([bound]) => (inclusive ? value >= bound : value > bound))?.[1];
}
