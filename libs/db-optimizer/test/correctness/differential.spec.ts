import { Client } from 'pg';
import { QueryOptions, QueryRoutingError } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';

// Issue #10: a randomized differential test. A seeded grammar of what apps send (reads,
// writes, texts of several statements, functions of each volatility, time literals,
// transactions with SET LOCAL and with a refused SET) runs through the module with the cache
// on, and every answer is checked against the primary read directly. Each simulated user
// writes only its own rows, so a read of an own row must equal the primary (read-your-writes
// through its sessionKey); a read of someone else's row may lag but never run ahead (values
// only grow). At the end every pooled connection must still have the session defaults.
const OPERATIONS = 2_000;
const USERS = 4;
const ROWS = 20;
const SEED = 0x5eed_10;

/** xorshift32: a reproducible sequence, so a failure can be replayed with the same seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

interface SessionView {
  port: number;
  pid: number;
  search_path: string;
  statement_timeout: string;
  app_x: string;
  advisory_locks: number;
}

describe('differential: the module answers as the primary does', () => {
  const env = testEnv();
  const schema = uniqueSchema('differential');
  const instance = replicatedSchema(
    schema,
    `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
     INSERT INTO t SELECT g, 0 FROM generate_series(1, ${ROWS}) g;
     CREATE FUNCTION tripled(int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT $1 * 3 $$;
     CREATE FUNCTION value_of(int) RETURNS int STABLE LANGUAGE sql AS $$ SELECT v FROM ${schema}.t WHERE id = $1 $$;
     CREATE FUNCTION leaky(int) RETURNS int VOLATILE LANGUAGE sql AS $$ SELECT set_config('app.x', 'leaked', false); SELECT $1 $$;`,
  ).bootInstance(() =>
    cacheOptions({
      // Two connections per role, so the final check can reach each one.
      primaryPool: { min: 2, max: 2 },
      readReplicaPool: { min: 2, max: 2 },
      analyticsPool: { min: 0, max: 1 },
    }),
  );

  const primary = new Client({ connectionString: env.primaryUrl });
  beforeAll(() => primary.connect());
  afterAll(() => primary.end());

  const SESSION_VIEW = `SELECT inet_server_port() AS port, pg_backend_pid() AS pid,
      current_setting('search_path') AS search_path,
      current_setting('statement_timeout') AS statement_timeout,
      coalesce(current_setting('app.x', true), '') AS app_x,
      (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks`;

  /**
   * What each pooled connection holds. Two transactions run at once and wait for each other
   * after answering, so with two connections per pool both are reached; several rounds catch
   * connections the pool replaced (a failed reset closes its client).
   */
  const pooledSessions = async (): Promise<SessionView[]> => {
    const seen: SessionView[] = [];
    for (let round = 0; round < 3; round++) {
      for (const readOnly of [false, true]) {
        let arrived = 0;
        let release!: () => void;
        const together = new Promise<void>((resolve) => (release = resolve));
        await Promise.all(
          [0, 1].map(() =>
            instance.db.executeTransactionOptimized(
              async (tx) => {
                seen.push(...((await tx.query(SESSION_VIEW)).rows as unknown as SessionView[]));
                if (++arrived === 2) release();
                await together;
              },
              { readOnly },
            ),
          ),
        );
      }
      const alone = await Promise.all([0, 1, 2, 3].map(() => instance.db.executeOptimizedQuery<SessionView>(SESSION_VIEW, [], { useCache: false })));
      seen.push(...alone.flatMap((result) => result.rows));
    }
    return seen;
  };

  it(`runs ${OPERATIONS} generated statements with no mismatch and leaves no session state`, async () => {
    const baseline = await pooledSessions();
    const defaults = ({ search_path, statement_timeout, app_x, advisory_locks }: SessionView) => ({ search_path, statement_timeout, app_x, advisory_locks });
    expect(new Set(baseline.map((view) => JSON.stringify(defaults(view)))).size).toBe(1);
    const expectedDefaults = defaults(baseline[0]);

    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const ownRows = (user: number) => Array.from({ length: ROWS }, (_, index) => index + 1).filter((id) => (id - 1) % USERS === user);
    const counts: Record<string, number> = {};
    const mismatches: string[] = [];
    let refusals = 0;
    let cacheHits = 0;
    let statements = 0;

    const onPrimary = async (id: number) => Number((await primary.query<{ v: number }>(`SELECT v FROM ${schema}.t WHERE id = $1`, [id])).rows[0].v);
    const run = async <T>(text: string, params: unknown[], options: QueryOptions) => {
      statements++;
      const result = await instance.db.executeOptimizedQuery<T>(text, params, options);
      if (result.metadata.cached !== false) cacheHits++;
      return result;
    };
    /** The caller's read of a row compared with the primary: equal for own rows, never ahead for others'. */
    const compare = async (what: string, user: number, id: number, seen: number) => {
      const truth = await onPrimary(id);
      const own = (id - 1) % USERS === user;
      if (own ? seen !== truth : seen > truth) mismatches.push(`${what}: user ${user} row ${id} saw ${seen}, primary ${truth}`);
    };
    const readBack = async (what: string, user: number, id: number) => {
      const { rows } = await run<{ v: number }>(`SELECT v FROM ${schema}.t WHERE id = $1`, [id], { sessionKey: `user-${user}` });
      await compare(what, user, id, Number(rows[0].v));
    };
    /** An expected refusal must be a QueryRoutingError; anything else fails the test. */
    const refused = async (attempt: Promise<unknown>) => {
      statements++;
      try {
        await attempt;
      } catch (error) {
        if (!(error instanceof QueryRoutingError)) throw error;
        refusals++;
        return;
      }
      mismatches.push('a statement that must be refused ran');
    };

    const kinds: Array<[string, number, (user: number, sessionKey: string) => Promise<void>]> = [
      ['read', 30, async (user) => readBack('read', user, pick([...ownRows(user), ...ownRows((user + 1) % USERS)]))],
      [
        'range read',
        8,
        async (user, sessionKey) => {
          const from = 1 + Math.floor(random() * (ROWS - 4));
          const { rows } = await run<{ id: number; v: number }>(`SELECT id, v FROM ${schema}.t WHERE id BETWEEN $1 AND $2 ORDER BY id`, [from, from + 3], { sessionKey });
          if (rows.length !== 4) mismatches.push(`range read from ${from}: ${rows.length} rows`);
          for (const row of rows) await compare('range read', user, row.id, Number(row.v));
        },
      ],
      [
        'write',
        15,
        async (user, sessionKey) => {
          const id = pick(ownRows(user));
          await run(`UPDATE ${schema}.t SET v = v + $2 WHERE id = $1`, [id, 1 + Math.floor(random() * 5)], { sessionKey });
          await readBack('read after write', user, id);
        },
      ],
      [
        'multi-statement',
        8,
        async (user, sessionKey) => {
          const [a, b] = [pick(ownRows(user)), pick(ownRows(user))];
          const { rows } = await run<{ v: number }>(
            `UPDATE ${schema}.t SET v = v + 1 WHERE id = ${a}; UPDATE ${schema}.t SET v = v + 2 WHERE id = ${b}; SELECT v FROM ${schema}.t WHERE id = ${a}`,
            [],
            { sessionKey },
          );
          await compare('multi-statement result', user, a, Number(rows[0].v));
          await readBack('read after multi-statement', user, a);
          await readBack('read after multi-statement', user, b);
        },
      ],
      [
        'immutable function',
        5,
        async (_user, sessionKey) => {
          const n = Math.floor(random() * 100);
          const { rows } = await run<{ x: number }>(`SELECT ${schema}.tripled($1) AS x`, [n], { sessionKey });
          if (rows[0].x !== n * 3) mismatches.push(`tripled(${n}) = ${rows[0].x}`);
        },
      ],
      [
        'stable function',
        6,
        async (user, sessionKey) => {
          const id = pick(ownRows(user));
          const { rows } = await run<{ v: number }>(`SELECT ${schema}.value_of($1) AS v`, [id], { sessionKey });
          await compare('stable function', user, id, Number(rows[0].v));
        },
      ],
      [
        'volatile function',
        4,
        async (_user, sessionKey) => {
          const n = Math.floor(random() * 100);
          const { rows } = await run<{ x: number }>(`SELECT ${schema}.leaky($1) AS x`, [n], { sessionKey });
          if (rows[0].x !== n) mismatches.push(`leaky(${n}) = ${rows[0].x}`);
        },
      ],
      [
        'time literal',
        5,
        async (_user, sessionKey) => {
          const text = pick([
            `SELECT 'now'::timestamptz AS t`,
            `SELECT CAST('today' AS date) AS t`,
            `SELECT 'tomorrow'::date AS t`,
            `SELECT TIMESTAMP 'now' AS t`,
            `SELECT now() AS t`,
          ]);
          const { metadata } = await run(text, [], { sessionKey });
          if (metadata.cached !== false) mismatches.push(`${text} served from the cache (${metadata.cached})`);
        },
      ],
      [
        'transaction with SET LOCAL',
        6,
        async (user, sessionKey) => {
          const id = pick(ownRows(user));
          statements += 5;
          await instance.db.executeTransactionOptimized(
            async (tx) => {
              await tx.query('SET LOCAL search_path = pg_catalog, public');
              await tx.query(`SET LOCAL statement_timeout = ${1000 + Math.floor(random() * 9000)}`);
              await tx.query(`SELECT set_config('app.x', 'local', true)`);
              await tx.query('SELECT pg_advisory_xact_lock($1)', [id]);
              await tx.query(`UPDATE ${schema}.t SET v = v + 1 WHERE id = $1`, [id]);
            },
            { sessionKey },
          );
          await readBack('read after SET LOCAL transaction', user, id);
        },
      ],
      [
        'transaction with a session SET (refused)',
        5,
        async (user, sessionKey) => {
          const id = pick(ownRows(user));
          const before = await onPrimary(id);
          const sessionChange = pick([
            'SET search_path = tenant7, public',
            'SET statement_timeout = 1',
            `SELECT set_config('app.x', 'tenant7', false)`,
            'SELECT pg_advisory_lock(7)',
            'RESET search_path',
          ]);
          await refused(
            instance.db.executeTransactionOptimized(
              async (tx) => {
                await tx.query(`UPDATE ${schema}.t SET v = v + 100 WHERE id = $1`, [id]);
                await tx.query(sessionChange);
              },
              { sessionKey },
            ),
          );
          if ((await onPrimary(id)) !== before) mismatches.push(`refused transaction (${sessionChange}) committed its update`);
          await readBack('read after refused transaction', user, id);
        },
      ],
      ['SET outside a transaction (refused)', 2, async (_user, sessionKey) => refused(instance.db.executeOptimizedQuery('SET search_path = tenant7, public', [], { sessionKey }))],
      [
        'text with COMMIT (refused)',
        2,
        async (user, sessionKey) => {
          const id = pick(ownRows(user));
          const before = await onPrimary(id);
          await refused(instance.db.executeOptimizedQuery(`UPDATE ${schema}.t SET v = v + 100 WHERE id = ${id}; COMMIT`, [], { sessionKey }));
          if ((await onPrimary(id)) !== before) mismatches.push('a refused text with COMMIT changed a row');
        },
      ],
    ];
    const totalWeight = kinds.reduce((sum, [, weight]) => sum + weight, 0);

    for (let operation = 0; operation < OPERATIONS; operation++) {
      let draw = random() * totalWeight;
      const [name, , perform] = kinds.find(([, weight]) => (draw -= weight) < 0) ?? kinds[kinds.length - 1];
      const user = Math.floor(random() * USERS);
      counts[name] = (counts[name] ?? 0) + 1;
      await perform(user, `user-${user}`);
    }

    const after = await pooledSessions();
    const leaks = after.filter((view) => JSON.stringify(defaults(view)) !== JSON.stringify(expectedDefaults));
    const connections = new Set(after.map((view) => `${view.port}/${view.pid}`));
    const servers = new Set(after.map((view) => view.port));

    console.log(
      `differential seed=${SEED}: ${OPERATIONS} operations (${statements} statements) ${JSON.stringify(counts)}; ` +
        `mismatches=${mismatches.length}, refusals=${refusals}, cacheHits=${cacheHits}, connections checked=${connections.size} on ${servers.size} servers, leaks=${leaks.length}`,
    );
    expect(statements).toBeGreaterThanOrEqual(2_000);
    expect(mismatches).toEqual([]);
    expect(refusals).toBe(counts['transaction with a session SET (refused)'] + counts['SET outside a transaction (refused)'] + counts['text with COMMIT (refused)']);
    expect(cacheHits).toBeGreaterThan(0);
    // Two connections on the primary and two on the replica answered.
    expect(servers.size).toBe(2);
    expect(connections.size).toBeGreaterThanOrEqual(4);
    expect(leaks).toEqual([]);
  }, 120_000);
});
