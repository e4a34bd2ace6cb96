import type { OptimizedQueryResult } from '../core/query-options.interface';
import { decodeResult, encodeResult } from './result-codec';

const result = <T>(rows: T[]): OptimizedQueryResult<T> => ({
  rows,
  metadata: {
    executionTimeMs: 3,
    cached: false,
    poolUsed: 'read_replica',
    server: 'h:5432',
    queryType: 'READ',
    preparedStatement: true,
    fingerprint: 'ab',
    rowCount: rows.length,
    consistencyToken: '0/1',
  },
});

describe('encodeResult / decodeResult', () => {
  it('gives back equal rows: dates, buffers, bigints, non-finite numbers, -0, nested JSON', () => {
    const rows = [
      { d: new Date(1_700_000_000_123), b: Buffer.from([0, 1, 255]), n: 12345678901234567890n, f: Number.NaN, i: Number.NEGATIVE_INFINITY, z: -0, j: { a: [1, 'x', null] }, s: null },
    ];
    const decoded = decodeResult<(typeof rows)[number]>(encodeResult(result(rows)) as string, 'memory');
    expect(decoded.rows).toEqual(rows);
    expect(decoded.rows[0].d).toBeInstanceOf(Date);
    expect(Buffer.isBuffer(decoded.rows[0].b)).toBe(true);
    expect(Object.is(decoded.rows[0].z, -0)).toBe(true);
  });

  it('marks the level and keeps how the result was produced, not the write token', () => {
    const decoded = decodeResult(encodeResult(result([{ a: 1 }])) as string, 'redis');
    expect(decoded.metadata).toEqual({
      executionTimeMs: 0,
      cached: 'redis',
      poolUsed: 'read_replica',
      server: 'h:5432',
      queryType: 'READ',
      preparedStatement: true,
      fingerprint: 'ab',
      rowCount: 1,
    });
  });

  it('hands out copies: changing one does not change the next', () => {
    const text = encodeResult(result([{ a: { b: 1 } }])) as string;
    decodeResult<{ a: { b: number } }>(text, 'memory').rows[0].a.b = 2;
    expect(decodeResult<{ a: { b: number } }>(text, 'memory').rows[0].a.b).toBe(1);
  });

  it('refuses values JSON would change', () => {
    class Interval {
      hours = 1;
    }
    expect(encodeResult(result([{ i: new Interval() }]))).toBeUndefined();
    expect(encodeResult(result([{ u: new Uint16Array(2) }]))).toBeUndefined();
    expect(encodeResult(result([{ j: { '\u0000': 'd', v: 1 } }]))).toBeUndefined();
  });

  it('keeps each special value when it is the only one in the result (plain results skip the replacer)', () => {
    const alone: unknown[][] = [[{ z: -0 }], [{ f: Number.NaN }], [{ n: 1n }], [{ d: new Date(5) }], [{ b: Buffer.from([7]) }], [{ j: { a: 1 } }], [[-0, 'x']], [[new Date(6)]]];
    for (const rows of alone) {
      const decoded = decodeResult(encodeResult(result(rows)) as string, 'memory');
      expect(decoded.rows).toEqual(rows);
      const [first] = Object.values(decoded.rows[0] as object) as unknown[];
      const [expected] = Object.values(rows[0] as object) as unknown[];
      expect(Object.is(first, -0)).toBe(Object.is(expected, -0));
    }
  });

  it('encodes plain rows, objects or arrays, with their column descriptions, and gives them back equal', () => {
    const objects = [{ id: 1, name: 'a', ok: true, none: null }, { id: 2.5, name: '', ok: false, none: null }];
    expect(decodeResult(encodeResult(result(objects)) as string, 'memory').rows).toEqual(objects);
    const arrays = { ...result([[1, 'a', null], [2, 'b', true]]), columns: { command: 'SELECT', fields: [{ name: 'id', tableID: 0, columnID: 0, dataTypeID: 23, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' as const }] } };
    const decoded = decodeResult(encodeResult(arrays) as string, 'redis');
    expect(decoded.rows).toEqual(arrays.rows);
    expect(decoded.columns).toEqual(arrays.columns);
  });

  it('refuses a row that is a class instance or uses the tag as a key, even holding only plain values', () => {
    class Row {
      id = 1;
    }
    expect(encodeResult(result([new Row()]))).toBeUndefined();
    expect(encodeResult(result([{ '\u0000': 'd', v: 1 }]))).toBeUndefined();
  });

  it('sends anything unusual around the plain rows through the tagging path, as before', () => {
    const extra = { ...result([[1]]), columns: { command: 'SELECT', fields: [], oid: 12n } };
    expect((decodeResult(encodeResult(extra) as string, 'memory').columns as unknown as { oid: bigint }).oid).toBe(12n);
    const withToJson = Object.assign([1], { toJSON: () => [Number.NaN] });
    expect(decodeResult<number[]>(encodeResult(result([withToJson])) as string, 'memory').rows[0][0]).toBeNaN();
    const throwing = Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(encodeResult(result([throwing]))).toBeUndefined();
  });
});
