import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';

// Issue #10, item 3: only deterministic reads are cached. Time literals ('now', 'today'...),
// SQL value functions (current_date...), current_setting(), and functions hidden behind
// user-defined operators and casts or inside views change without any write: never cached.
describe('reads whose result changes without a write', () => {
  const schema = uniqueSchema('hidden_time');
  const instance = replicatedSchema(
    schema,
    `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL, created timestamptz NOT NULL DEFAULT now());
     INSERT INTO t (id, v) VALUES (1, 10), (2, 20);
     CREATE FUNCTION stamp_eq(int, int) RETURNS boolean STABLE LANGUAGE sql AS $$ SELECT $1 = $2 AND now() IS NOT NULL $$;
     CREATE OPERATOR === (function = stamp_eq, leftarg = int, rightarg = int);
     CREATE TYPE stamped AS (v int, at timestamptz);
     CREATE FUNCTION to_stamped(int) RETURNS stamped STABLE LANGUAGE sql AS $$ SELECT ROW($1, now())::${schema}.stamped $$;
     CREATE CAST (int AS stamped) WITH FUNCTION to_stamped(int);
     CREATE VIEW recent AS SELECT id FROM t WHERE created > now() - interval '1 day';`,
  ).bootInstance(() => cacheOptions({ redisUrl: undefined }));

  const twice = async (text: string, params: unknown[]) => {
    await instance.db.executeOptimizedQuery(text, params);
    return (await instance.db.executeOptimizedQuery(text, params)).metadata.cached;
  };

  it('caches a deterministic read (the control)', async () => {
    expect(await twice(`SELECT v FROM ${schema}.t WHERE id = $1`, [1])).toBe('memory');
  });

  it.each([
    ["'now'::timestamptz", `SELECT v, 'now'::timestamptz AS at FROM ${schema}.t WHERE id = $1`, [1]],
    ["TIMESTAMP 'now'", `SELECT v, TIMESTAMP 'now' AS at FROM ${schema}.t WHERE id = $1`, [1]],
    ["CAST('today' AS date)", `SELECT v FROM ${schema}.t WHERE created::date <= CAST('today' AS date) AND id = $1`, [1]],
    ["'tomorrow' compared with a timestamp", `SELECT v FROM ${schema}.t WHERE created < 'tomorrow' AND id = $1`, [1]],
    ["'yesterday'::date", `SELECT v, 'yesterday'::date AS d FROM ${schema}.t WHERE id = $1`, [1]],
    ["a parameter 'now' cast to timestamptz", `SELECT v, $2::timestamptz AS at FROM ${schema}.t WHERE id = $1`, [1, 'now']],
    ['current_date', `SELECT v, current_date AS d FROM ${schema}.t WHERE id = $1`, [1]],
    ['localtime', `SELECT v, localtime AS d FROM ${schema}.t WHERE id = $1`, [1]],
    ['current_setting()', `SELECT v, current_setting('application_name') AS s FROM ${schema}.t WHERE id = $1`, [1]],
    ['an operator backed by a STABLE function', `SELECT v FROM ${schema}.t WHERE id OPERATOR(${schema}.===) $1`, [1]],
    ['a cast backed by a STABLE function', `SELECT v, (id::${schema}.stamped).at FROM ${schema}.t WHERE id = $1`, [1]],
    ['a view calling now()', `SELECT id FROM ${schema}.recent WHERE id = $1`, [1]],
  ])('never caches a read with %s', async (_what, text, params) => {
    expect(await twice(text as string, params as unknown[])).toBe(false);
  });
});
