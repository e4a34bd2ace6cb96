import { MAX_ROW_KEYS_PER_READ } from '../result-cache.constants';
import type { TableScope, VersionChange } from './version-change';
import { VersionMap } from './version-map';

const T = 'public.t';
let stamp = 0;
const change = (tables: TableScope[], extra: Partial<VersionChange> = {}): VersionChange => ({ stamp: ++stamp, flushAll: false, tables, ...extra });
const signature = (map: VersionMap, scope: TableScope): string => map.capture([scope]).signature;

describe('VersionMap', () => {
  describe('#apply', () => {
    it('moves a row read only for a write of that row, and every whole-table read', () => {
      const map = new VersionMap(100);
      const row5 = signature(map, { table: T, rowKeys: ['5'] });
      const row6 = signature(map, { table: T, rowKeys: ['6'] });
      const whole = signature(map, { table: T });
      map.apply(change([{ table: T, rowKeys: ['5'] }]));
      expect(signature(map, { table: T, rowKeys: ['5'] })).not.toBe(row5);
      expect(signature(map, { table: T, rowKeys: ['6'] })).toBe(row6);
      expect(signature(map, { table: T })).not.toBe(whole);
    });

    it('moves every read of a table for a whole-table write', () => {
      const map = new VersionMap(100);
      const before = [signature(map, { table: T, rowKeys: ['6'] }), signature(map, { table: T })];
      map.apply(change([{ table: T }]));
      expect([signature(map, { table: T, rowKeys: ['6'] }), signature(map, { table: T })]).not.toContain(before[0]);
      expect(signature(map, { table: T })).not.toBe(before[1]);
    });

    it('moves everything for a flush', () => {
      const map = new VersionMap(100);
      const before = signature(map, { table: 'public.other', rowKeys: ['1'] });
      map.apply(change([], { flushAll: true }));
      expect(signature(map, { table: 'public.other', rowKeys: ['1'] })).not.toBe(before);
    });

    it('ignores an older stamp but keeps its later WAL position', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 20, flushAll: false, tables: [{ table: T }], lsn: 100n });
      const before = map.capture([{ table: T }]);
      map.apply({ stamp: 10, flushAll: false, tables: [{ table: T }], lsn: 300n });
      const after = map.capture([{ table: T }]);
      expect(after.signature).toBe(before.signature);
      expect(after.minLsn).toBe(300n);
    });
  });

  describe('#capture', () => {
    it('asks for the latest WAL position among the dependencies', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 1, flushAll: false, tables: [{ table: T, rowKeys: ['1'] }], lsn: 50n });
      map.apply({ stamp: 2, flushAll: false, tables: [{ table: 'public.u' }], lsn: 70n });
      expect(map.capture([{ table: T, rowKeys: ['2'] }]).minLsn).toBeUndefined();
      expect(map.capture([{ table: T, rowKeys: ['1'] }]).minLsn).toBe(50n);
      expect(map.capture([{ table: T }, { table: 'public.u' }]).minLsn).toBe(70n);
    });

    it('treats a read of too many rows as a whole-table read', () => {
      const map = new VersionMap(100);
      const keys = Array.from({ length: MAX_ROW_KEYS_PER_READ + 1 }, (_, i) => `x${i}`);
      const before = signature(map, { table: T, rowKeys: keys });
      map.apply(change([{ table: T, rowKeys: ['unrelated'] }]));
      expect(signature(map, { table: T, rowKeys: keys })).not.toBe(before);
    });

    it('cannot be fooled by row keys holding separators', () => {
      const map = new VersionMap(100);
      expect(signature(map, { table: T, rowKeys: ['1=0r1:2'] })).not.toBe(signature(map, { table: T, rowKeys: ['1', '2'] }));
    });
  });

  describe('row eviction', () => {
    it('never lets a row take back a value it had before a write, whatever is evicted', () => {
      // Random writes over 20 rows with room for 3 counters: every signature must always mean one state of the row.
      const map = new VersionMap(3);
      const truth = new Map<string, number>();
      let tableWrites = 0;
      const meaning = new Map<string, string>();
      let seed = 7;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let step = 0; step < 5000; step++) {
        const key = String(random(20));
        const action = random(10);
        if (action < 3) {
          map.apply(change([{ table: T, rowKeys: [key] }]));
          truth.set(key, (truth.get(key) ?? 0) + 1);
        } else if (action === 3) {
          map.apply(change([{ table: T }]));
          tableWrites++;
        } else {
          const state = `${truth.get(key) ?? 0}/${tableWrites}`;
          const sig = `${key}|${signature(map, { table: T, rowKeys: [key] })}`;
          const seen = meaning.get(sig);
          if (seen !== undefined) expect(seen).toBe(state);
          meaning.set(sig, state);
        }
      }
      expect(map.rowStats.evicted).toBeGreaterThan(0);
      expect(map.rowStats.held).toBeLessThanOrEqual(3);
    });
  });

  describe('#applySynced', () => {
    it("makes rows it holds no counter for read at their table's wide version", () => {
      const map = new VersionMap(100);
      const before = signature(map, { table: T, rowKeys: ['9'] });
      map.applySynced({ value: 5 }, new Map(), new Map([[T, { value: 40, lsn: 9n }]]));
      const after = map.capture([{ table: T, rowKeys: ['9'] }]);
      expect(after.signature).not.toBe(before);
      expect(after.minLsn).toBe(9n);
      expect(map.highest).toBe(40);
    });

    it('drops row counters below the synced wide version (they may have missed a write) and keeps newer ones', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: [{ table: T, rowKeys: ['old'] }] });
      map.apply({ stamp: 50, flushAll: false, tables: [{ table: T, rowKeys: ['new'] }] });
      const old = signature(map, { table: T, rowKeys: ['old'] });
      const fresh = signature(map, { table: T, rowKeys: ['new'] });
      map.applySynced(undefined, new Map(), new Map([[T, { value: 30 }]]));
      expect(signature(map, { table: T, rowKeys: ['old'] })).not.toBe(old);
      expect(signature(map, { table: T, rowKeys: ['new'] })).toBe(fresh);
    });
  });
  describe('bumps this instance made itself', () => {
    const row = (key: string) => [{ table: T, rowKeys: [key] }];

    it('mark the capture while theirs is the newest counter in it, through the echo of the same bump', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: row('1') }, 1_000);
      expect(map.capture(row('1')).bumpedHereAt).toBe(1_000);
      map.apply({ stamp: 10, flushAll: false, tables: row('1'), lsn: 5n });
      expect(map.capture(row('1'))).toMatchObject({ bumpedHereAt: 1_000, minLsn: 5n });
    });

    it('mark the counter when the echo (another connection) was heard before Redis answered the writer', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: row('1'), lsn: 5n });
      expect(map.capture(row('1')).bumpedHereAt).toBeUndefined();
      map.apply({ stamp: 10, flushAll: false, tables: row('1'), lsn: 5n }, 1_000);
      expect(map.capture(row('1')).bumpedHereAt).toBe(1_000);
    });

    it("lose the mark to a newer bump from elsewhere, and never mark what another instance's bump made newest", () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: row('1') }, 1_000);
      map.apply({ stamp: 11, flushAll: false, tables: row('1') });
      expect(map.capture(row('1')).bumpedHereAt).toBeUndefined();
      map.apply({ stamp: 12, flushAll: false, tables: row('2') }, 2_000);
      // Table-wide reads see `wide`, bumped by both; the newest (12) was this instance's.
      expect(map.capture([{ table: T }]).bumpedHereAt).toBe(2_000);
      map.apply({ stamp: 13, flushAll: true, tables: [] });
      expect(map.capture(row('2')).bumpedHereAt).toBeUndefined();
    });
  });

  describe('writes whose position is unknown', () => {
    const row = (key: string) => [{ table: T, rowKeys: [key] }];

    it('mark the captures of what they wrote, and only those', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: row('1'), unpositionedMark: 3 });
      expect(map.capture(row('1')).unpositionedMark).toBe(3);
      expect(map.capture([{ table: T }]).unpositionedMark).toBe(3);
      expect(map.capture(row('2')).unpositionedMark).toBeUndefined();
      expect(map.capture([{ table: 'public.other' }]).unpositionedMark).toBeUndefined();
    });

    it('keep the mark under later positioned writes, whose positions still count', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: false, tables: row('1'), unpositionedMark: 3 });
      map.apply({ stamp: 11, flushAll: false, tables: row('1'), lsn: 900n });
      map.apply({ stamp: 12, flushAll: false, tables: row('1'), unpositionedMark: 2 });
      expect(map.capture(row('1'))).toMatchObject({ unpositionedMark: 3, minLsn: 900n });
    });

    it('keep the mark of a row whose counter is forgotten, by eviction or by a sync from Redis', () => {
      const evicting = new VersionMap(1);
      evicting.apply({ stamp: 10, flushAll: false, tables: row('1'), unpositionedMark: 4 });
      evicting.apply({ stamp: 11, flushAll: false, tables: row('2') });
      expect(evicting.rowStats.evicted).toBe(1);
      expect(evicting.capture(row('1')).unpositionedMark).toBe(4);

      const syncing = new VersionMap(100);
      syncing.apply({ stamp: 10, flushAll: false, tables: row('1'), unpositionedMark: 4 });
      syncing.applySynced(undefined, new Map(), new Map([[T, { value: 30 }]]));
      expect(syncing.capture(row('1')).unpositionedMark).toBe(4);
    });

    it('mark every capture when a flush had one', () => {
      const map = new VersionMap(100);
      map.apply({ stamp: 10, flushAll: true, tables: [], unpositionedMark: 1 });
      expect(map.capture(row('9')).unpositionedMark).toBe(1);
    });
  });
});
