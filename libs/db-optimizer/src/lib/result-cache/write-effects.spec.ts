import { MAX_ROW_KEYS_PER_WRITE } from './result-cache.constants';
import { mergeVersionChanges, mergeWriteEffects } from './write-effects';

describe('mergeWriteEffects', () => {
  it('unites the rows each statement wrote, per table', () => {
    const merged = mergeWriteEffects(
      [
        { flushAll: false, tables: [{ table: 'a', rowKeys: ['1'] }] },
        { flushAll: false, tables: [{ table: 'a', rowKeys: ['2', '1'] }, { table: 'b', rowKeys: ['9'] }] },
      ],
      5n,
    );
    expect(merged).toEqual({ flushAll: false, lsn: 5n, tables: [{ table: 'a', rowKeys: ['1', '2'] }, { table: 'b', rowKeys: ['9'] }] });
  });

  it('makes a table whole once any statement wrote it whole, in either order', () => {
    const whole = { flushAll: false, tables: [{ table: 'a' }] };
    const rows = { flushAll: false, tables: [{ table: 'a', rowKeys: ['1'] }] };
    expect(mergeWriteEffects([whole, rows], undefined).tables).toEqual([{ table: 'a' }]);
    expect(mergeWriteEffects([rows, whole], undefined).tables).toEqual([{ table: 'a' }]);
  });

  it('flushes everything when any statement needs it', () => {
    expect(mergeWriteEffects([{ flushAll: false, tables: [{ table: 'a' }] }, { flushAll: true, tables: [] }], 1n)).toEqual({
      flushAll: true,
      tables: [],
      lsn: 1n,
    });
  });

  it('makes a table whole when it names too many rows', () => {
    const keys = Array.from({ length: MAX_ROW_KEYS_PER_WRITE + 1 }, (_, i) => String(i));
    expect(mergeWriteEffects([{ flushAll: false, tables: [{ table: 'a', rowKeys: keys }] }], undefined).tables).toEqual([{ table: 'a' }]);
  });
});

describe('mergeVersionChanges', () => {
  it('keeps the latest position and the latest mark of a write whose position is unknown', () => {
    const merged = mergeVersionChanges([
      { flushAll: false, tables: [{ table: 'a', rowKeys: ['1'] }], lsn: 500n },
      { flushAll: false, tables: [{ table: 'a', rowKeys: ['2'] }], unpositionedMark: 2 },
      { flushAll: false, tables: [{ table: 'b' }], lsn: 300n, unpositionedMark: 1 },
    ]);
    expect(merged).toEqual({ flushAll: false, tables: [{ table: 'a', rowKeys: ['1', '2'] }, { table: 'b' }], lsn: 500n, unpositionedMark: 2 });
    expect(mergeVersionChanges([{ flushAll: false, tables: [{ table: 'a' }], lsn: 5n }])).not.toHaveProperty('unpositionedMark');
  });
});
