import type { StatementColumns } from './statement-descriptions';
import { replayRowDescription, type RowDescriptionTarget, type TypeSource } from './row-description-replay';

/**
 * Whether `replayRowDescription` changes a query of this class exactly as pg's own
 * `handleRowDescription` does: the same fields of the query and of its result, to the same
 * values (the parsers one by one, the empty row key by key and by prototype). Checked once per
 * query class on probe queries (with a types source, rows as objects and as arrays), so that a
 * pg release that changes these internals turns the replay off instead of parsing rows wrong.
 */
export function replayMatchesPg(Query: ProbeQueryClass): boolean {
  // As real runs have them: parsers from a types source (a client's or the query's), a column without a format, rows as
  // objects and as arrays. The stub hands out one parser per type and format, so both sides can be compared by identity.
  const parsers = new Map<string, () => void>();
  const types: TypeSource = {
    getTypeParser: (oid, format) => {
      const key = `${oid}/${format}`;
      if (!parsers.has(key)) parsers.set(key, () => undefined);
      return parsers.get(key);
    },
  };
  const columns = [column('id', 23), column('__proto__', 25), column('id', 1700), { ...column('note', 25), format: undefined as unknown as string }];
  return [undefined, 'array' as const].every((rowMode) => {
    const callback = (): void => undefined;
    const probe = () => new Query({ text: 'SELECT', values: [], types, rowMode }, undefined, callback) as unknown as RowDescriptionTarget;
    const byPg = probe();
    const byReplay = probe();
    try {
      const pgChanged = changesOf(byPg, () => byPg.handleRowDescription({ fields: columns }));
      const replayChanged = changesOf(byReplay, () => replayRowDescription(byReplay, columns));
      return (
        sameChanges(pgChanged.query, replayChanged.query) &&
        sameChanges(pgChanged.result, replayChanged.result, (key, a, b) =>
          key === '_parsers' ? sameList(a as unknown[], b as unknown[]) : key === '_prebuiltEmptyResultObject' ? sameRow(a, b) : a === b,
        )
      );
    } catch {
      return false;
    }
  });
}

/** pg's query class, as the probe builds queries of it: from a config object. */
export type ProbeQueryClass = new (config: object, values: undefined, callback: () => void) => object;

function column(name: string, dataTypeID: number): StatementColumns[number] {
  return { name, tableID: 0, columnID: 0, dataTypeID, dataTypeSize: -1, dataTypeModifier: -1, format: 'text' };
}

type Changes = Map<string, unknown>;

/** The own fields of the query and of its result that `act` set or changed, with their new values. */
function changesOf(query: RowDescriptionTarget, act: () => void): { query: Changes; result: Changes } {
  const result = query._result;
  const queryBefore = new Map(Object.entries(query));
  const resultBefore = new Map(Object.entries(result));
  act();
  const changed = (before: Map<string, unknown>, after: object): Changes =>
    new Map(Object.entries(after).filter(([key, value]) => !before.has(key) || before.get(key) !== value));
  return { query: changed(queryBefore, query), result: changed(resultBefore, result) };
}

function sameChanges(a: Changes, b: Changes, same: (key: string, a: unknown, b: unknown) => boolean = (_key, x, y) => x === y): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.has(key) && same(key, value, b.get(key)));
}

function sameList(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** The same prototype and the same keys, in the same order, with the same values. */
function sameRow(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && sameList(Object.entries(a).flat(), Object.entries(b).flat());
}
