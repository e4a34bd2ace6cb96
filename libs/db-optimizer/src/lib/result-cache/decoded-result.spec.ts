import type { OptimizedQueryResult } from '../core/query-options.interface';
import type { WithColumns } from '../core/result-shape';
import { copyDecoded, decodeForCopies } from './decoded-result';
import { encodeResult } from './result-codec';

const encoded = (rows: unknown[], columns?: WithColumns<OptimizedQueryResult<unknown>>['columns']): string => {
  const result: WithColumns<OptimizedQueryResult<unknown>> = {
    rows,
    metadata: { executionTimeMs: 2, cached: false, poolUsed: 'read_replica', server: 'h:5432', queryType: 'READ', preparedStatement: true, fingerprint: 'f', rowCount: rows.length },
  };
  if (columns) result.columns = columns;
  return encodeResult(result) as string;
};

describe('decodeForCopies / copyDecoded', () => {
  it('gives each copy its own rows and Dates, equal to the stored ones', () => {
    const at = new Date(1_700_000_000_000);
    const decoded = decodeForCopies(encoded([{ id: 1, name: 'a', at, big: 12345678901234567890n, gone: null, ok: true }]))!;
    const first = copyDecoded<{ id: number; at: Date }>(decoded, 'memory');
    first.rows[0].id = 99;
    first.rows[0].at.setTime(0);
    const second = copyDecoded<{ id: number; at: Date }>(decoded, 'redis');
    expect(second.rows).toEqual([{ id: 1, name: 'a', at, big: 12345678901234567890n, gone: null, ok: true }]);
    expect(second.rows[0].at).not.toBe(first.rows[0].at);
    expect(second.metadata).toMatchObject({ cached: 'redis', executionTimeMs: 0, poolUsed: 'read_replica', rowCount: 1 });
  });

  it('copies rows in array mode and the columns, which a caller may change too', () => {
    const columns = { command: 'SELECT', fields: [{ name: 'id', tableID: 1, columnID: 1, dataTypeID: 23, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' as const }] };
    const decoded = decodeForCopies(encoded([['1', 'a']], columns))!;
    const first = copyDecoded<string[]>(decoded, 'memory') as WithColumns<OptimizedQueryResult<string[]>>;
    first.rows[0][0] = 'changed';
    first.columns!.fields[0].name = 'changed';
    const second = copyDecoded<string[]>(decoded, 'memory') as WithColumns<OptimizedQueryResult<string[]>>;
    expect(second.rows).toEqual([['1', 'a']]);
    expect(second.columns).toEqual(columns);
  });

  it('declines rows holding values only a parse can copy: JSON, arrays, Buffers', () => {
    expect(decodeForCopies(encoded([{ doc: { a: 1 } }]))).toBeUndefined();
    expect(decodeForCopies(encoded([{ tags: ['x'] }]))).toBeUndefined();
    expect(decodeForCopies(encoded([{ bytes: Buffer.from([1]) }]))).toBeUndefined();
    expect(decodeForCopies(encoded([{ id: 1 }, { id: 2, doc: [] }]))).toBeUndefined();
  });
});
