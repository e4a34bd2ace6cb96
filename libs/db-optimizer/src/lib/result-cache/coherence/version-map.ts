import { LRUCache } from 'lru-cache';
import { MAX_ROW_KEYS_PER_READ } from '../result-cache.constants';
import type { TableScope, VersionChange } from './version-change';
import { laterLsn } from '../../core/lsn';
import { laterMark, mergeStamp, NO_STAMP, Stamp } from './version-stamp';

interface TableVersions {
  /** Bumped by whole-table writes; part of every key reading the table. */
  all: Stamp;
  /** Bumped by every write; part of the keys of whole-table reads. */
  wide: Stamp;
  /** Value of a row with no counter in memory: never below any value an evicted row had. */
  rowFloor: Stamp;
}

interface RowVersion {
  table: string;
  stamp: Stamp;
}

/** The versions a read depends on, captured before it runs. */
export interface VersionCapture {
  /** Goes into the cache key: changes whenever a write the read depends on commits. */
  signature: string;
  /** The latest write among them: the read must be loaded from a server that replayed it. */
  minLsn?: bigint;
  /** When the newest of those counters was bumped by this instance itself (`Date.now()` ms); absent otherwise. */
  bumpedHereAt?: number;
  /** The latest write among them whose position is unknown (`VersionChange.unpositionedMark`); absent when none. */
  unpositionedMark?: number;
}

/**
 * This instance's copy of the version counters (global epoch, per table `all` and `wide`,
 * per row). A key is built from the counters a read depends on, so a write makes old
 * entries unreachable without finding them.
 *
 * Row counters are bounded (LRU). Forgetting one must never let it take an old value
 * again, or an entry cached at that value would come back: an evicted row's value is
 * folded into its table's `rowFloor`, which is what every forgotten row reads as.
 * Counters only grow (stamps come from one clock), so a row's value never repeats.
 */
export class VersionMap {
  private epoch: Stamp = NO_STAMP;
  private readonly tables = new Map<string, TableVersions>();
  private readonly rows: LRUCache<string, RowVersion>;
  private highestStamp = 0;
  private highestLsn: bigint | undefined;
  private evictedRows = 0;

  constructor(maxRows: number) {
    this.rows = new LRUCache<string, RowVersion>({
      max: maxRows,
      dispose: (row, _key, reason) => {
        if (reason !== 'evict') return;
        this.evictedRows++;
        const table = this.tableOf(row.table);
        table.rowFloor = mergeStamp(table.rowFloor, row.stamp.value, row.stamp.lsn, undefined, row.stamp.unpositionedMark);
      },
    });
  }

  /** Largest stamp seen: local stamps are taken above it. */
  get highest(): number {
    return this.highestStamp;
  }

  /** Latest WAL position of any write seen. */
  get latestLsn(): bigint | undefined {
    return this.highestLsn;
  }

  get epochStamp(): number {
    return this.epoch.value;
  }

  /** Row counters held, and how many were forgotten into their table's floor. */
  get rowStats(): { held: number; evicted: number } {
    return { held: this.rows.size, evicted: this.evictedRows };
  }

  /**
   * Applies one bump (own or received). Idempotent; an older bump only raises WAL positions.
   * `bumpedHereAt` marks a bump this instance made through Redis itself (see `VersionCapture`).
   */
  apply(change: VersionChange, bumpedHereAt?: number): void {
    const { stamp, lsn, unpositionedMark: mark } = change;
    this.noteStamp(stamp, lsn);
    if (change.flushAll) {
      this.epoch = mergeStamp(this.epoch, stamp, lsn, bumpedHereAt, mark);
      return;
    }
    for (const scope of change.tables) {
      const table = this.tableOf(scope.table);
      if (scope.rowKeys === undefined) {
        table.all = mergeStamp(table.all, stamp, lsn, bumpedHereAt, mark);
        continue;
      }
      table.wide = mergeStamp(table.wide, stamp, lsn, bumpedHereAt, mark);
      for (const key of scope.rowKeys) {
        const rowKey = rowKeyOf(scope.table, key);
        const current = this.rows.get(rowKey)?.stamp ?? table.rowFloor;
        this.rows.set(rowKey, { table: scope.table, stamp: mergeStamp(current, stamp, lsn, bumpedHereAt, mark) });
      }
    }
  }

  /**
   * Applies counters read from Redis: a cumulative state, so merging is safe in any order
   * with messages, and it covers every change whose message was missed (published before
   * the subscription, or while it was down). Rows are not in Redis: a table's `wide` bounds
   * every row write it had, so it becomes the floor of its rows, and a row counter below it
   * is dropped (it may have missed a write; it now reads the floor, a larger value). A row
   * counter above it came from a message after the subscription and stays.
   */
  applySynced(epoch: Stamp | undefined, all: Map<string, Stamp>, wide: Map<string, Stamp>): void {
    if (epoch) this.epoch = this.mergeNoting(this.epoch, epoch);
    for (const [name, stamp] of all) {
      const table = this.tableOf(name);
      table.all = this.mergeNoting(table.all, stamp);
    }
    for (const [name, stamp] of wide) {
      const table = this.tableOf(name);
      table.wide = this.mergeNoting(table.wide, stamp);
      // Rows dropped below may carry a write without a position: `wide` carries the latest of them too.
      table.rowFloor = mergeStamp(table.rowFloor, stamp.value, stamp.lsn, undefined, table.wide.unpositionedMark);
    }
    if (wide.size === 0 || this.rows.size === 0) return;
    const behind: string[] = [];
    for (const [key, row] of this.rows.entries()) {
      const floor = wide.get(row.table);
      if (floor !== undefined && row.stamp.value < floor.value) behind.push(key);
    }
    for (const key of behind) this.rows.delete(key);
  }

  /** The versions of a read's dependencies, for its key, and the WAL position it must see. */
  capture(dependencies: readonly TableScope[]): VersionCapture {
    let minLsn = this.epoch.lsn;
    let signature = `e${this.epoch.value}`;
    let newest = this.epoch;
    let mark = this.epoch.unpositionedMark;
    for (const scope of dependencies) {
      const table = this.tables.get(scope.table);
      const all = table?.all ?? NO_STAMP;
      signature += `;${scope.table.length}:${scope.table}a${all.value}`;
      minLsn = laterLsn(minLsn, all.lsn);
      mark = laterMark(mark, all.unpositionedMark);
      if (all.value > newest.value) newest = all;
      if (scope.rowKeys === undefined || scope.rowKeys.length > MAX_ROW_KEYS_PER_READ) {
        const wide = table?.wide ?? NO_STAMP;
        signature += `w${wide.value}`;
        minLsn = laterLsn(minLsn, wide.lsn);
        mark = laterMark(mark, wide.unpositionedMark);
        if (wide.value > newest.value) newest = wide;
        continue;
      }
      const floor = table?.rowFloor ?? NO_STAMP;
      for (const key of scope.rowKeys) {
        const row = this.rows.get(rowKeyOf(scope.table, key))?.stamp ?? floor;
        signature += `r${key.length}:${key}=${row.value}`;
        minLsn = laterLsn(minLsn, row.lsn);
        mark = laterMark(mark, row.unpositionedMark);
        if (row.value > newest.value) newest = row;
      }
    }
    const capture: VersionCapture = newest.bumpedHereAt === undefined ? { signature, minLsn } : { signature, minLsn, bumpedHereAt: newest.bumpedHereAt };
    if (mark !== undefined) capture.unpositionedMark = mark;
    return capture;
  }

  private tableOf(name: string): TableVersions {
    let table = this.tables.get(name);
    if (!table) {
      table = { all: NO_STAMP, wide: NO_STAMP, rowFloor: NO_STAMP };
      this.tables.set(name, table);
    }
    return table;
  }

  private mergeNoting(current: Stamp, stamp: Stamp): Stamp {
    this.noteStamp(stamp.value, stamp.lsn);
    return mergeStamp(current, stamp.value, stamp.lsn, undefined, stamp.unpositionedMark);
  }

  private noteStamp(value: number, lsn: bigint | undefined): void {
    if (value > this.highestStamp) this.highestStamp = value;
    this.highestLsn = laterLsn(this.highestLsn, lsn);
  }
}

/** Table and row key joined by a character no table name contains. */
function rowKeyOf(table: string, key: string): string {
  return `${table}\u0000${key}`;
}

