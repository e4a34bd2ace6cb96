import * as pg from 'pg';
import type { FieldDef } from 'pg';
import { replayMatchesPg } from './row-description-probe';
import { replayRowDescription, type RowDescriptionTarget } from './row-description-replay';

type ProbeQueryClass = Parameters<typeof replayMatchesPg>[0];
const PgQuery = (pg.Client as unknown as { Query: ProbeQueryClass }).Query;
const field = (name: string, dataTypeID: number): FieldDef => ({ name, tableID: 0, columnID: 0, dataTypeID, dataTypeSize: -1, dataTypeModifier: -1, format: 'text' });

describe('replayRowDescription', () => {
  it('matches what the installed pg does, so the replay is on', () => {
    expect(replayMatchesPg(PgQuery)).toBe(true);
  });

  it('is turned off for a query class whose hand-over sets anything the replay does not', () => {
    class ChangedQuery extends (PgQuery as unknown as new (...args: unknown[]) => RowDescriptionTarget & { seenColumns?: number }) {
      override handleRowDescription(message: { fields: readonly FieldDef[] }): void {
        super.handleRowDescription(message);
        this.seenColumns = message.fields.length;
      }
    }
    expect(replayMatchesPg(ChangedQuery as unknown as ProbeQueryClass)).toBe(false);
  });

  it('parses rows as pg does, a column named __proto__ included, and shares one empty row per columns', () => {
    const columns = Object.freeze([field('id', 23), field('__proto__', 25)]);
    const run = () => {
      const query = new PgQuery({ text: 'SELECT', values: [] }, undefined, () => undefined) as unknown as RowDescriptionTarget & { _result: { parseRow(values: unknown[]): object } };
      replayRowDescription(query, columns);
      return query;
    };
    const first = run();
    const row = first._result.parseRow(['7', 'x']) as Record<string, unknown>;

    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
    expect(row['id']).toBe(7);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(run()._result._prebuiltEmptyResultObject).toBe(first._result._prebuiltEmptyResultObject);
  });

  it('parses rows as arrays with the query\'s own parsers, and leaves no parsers for no columns, as pg does', () => {
    const types = { getTypeParser: (oid: number) => (value: string) => `${oid}:${value}` };
    const arrays = new PgQuery({ text: 'SELECT', values: [], rowMode: 'array', types }, undefined, () => undefined) as unknown as RowDescriptionTarget & {
      _result: { parseRow(values: unknown[]): unknown };
    };
    replayRowDescription(arrays, Object.freeze([field('a', 23), field('b', 25)]));
    const none = new PgQuery({ text: 'SELECT', values: [] }, undefined, () => undefined) as unknown as RowDescriptionTarget;
    replayRowDescription(none, Object.freeze([]));

    expect(arrays._result.parseRow(['1', null])).toEqual(['23:1', null]);
    expect(none._result._parsers).toBeUndefined();
    expect(none._result._prebuiltEmptyResultObject).toEqual({});
  });
});
