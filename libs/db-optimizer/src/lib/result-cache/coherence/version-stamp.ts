import { laterLsn } from '../../core/lsn';

/**
 * One version counter's value: a stamp that only grows (0: never bumped), and the WAL
 * position of the latest write behind it, so a result cached at this version is loaded
 * from a server that has replayed that write.
 */
export interface Stamp {
  readonly value: number;
  readonly lsn?: bigint;
  /** When this instance bumped the counter to `value` itself through Redis (ms, `Date.now()`); absent when the bump came from elsewhere. */
  readonly bumpedHereAt?: number;
  /** The latest unpositioned write behind the counter (`VersionChange.unpositionedMark`); absent when none. */
  readonly unpositionedMark?: number;
}

/** The value of a counter nothing has bumped yet. */
export const NO_STAMP: Stamp = { value: 0 };

/**
 * Merges what a bump says into a counter: the larger stamp wins, and the WAL position is
 * the later of both whatever the stamps (two writers may get their stamps in the opposite
 * order of their commits; the position must cover both). A write without a position marks
 * the counter with its number (`unpositionedMark`), the larger number kept: until the lag
 * monitor covers it, loads at this version need the primary.
 */
export function mergeStamp(current: Stamp, value: number, lsn: bigint | undefined, bumpedHereAt?: number, unpositionedMark?: number): Stamp {
  if (unpositionedMark !== undefined || current.unpositionedMark !== undefined) {
    const { unpositionedMark: held, ...plain } = current;
    return { ...mergeStamp(plain, value, lsn, bumpedHereAt), unpositionedMark: laterMark(unpositionedMark, held) };
  }
  const nextLsn = laterLsn(current.lsn, lsn);
  if (value > current.value) return bumpedHereAt === undefined ? { value, lsn: nextLsn } : { value, lsn: nextLsn, bumpedHereAt };
  // The same bump again: its echo keeps the writer's mark, and the writer's own apply marks it even
  // when the echo (another connection) was heard first. An older bump only raises the position.
  const mark = value === current.value ? (bumpedHereAt ?? current.bumpedHereAt) : current.bumpedHereAt;
  if (nextLsn === current.lsn && mark === current.bumpedHereAt) return current;
  return mark === undefined ? { value: current.value, lsn: nextLsn } : { value: current.value, lsn: nextLsn, bumpedHereAt: mark };
}

/** The later of two optional unpositioned-write numbers (`Stamp.unpositionedMark`). */
export function laterMark(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
