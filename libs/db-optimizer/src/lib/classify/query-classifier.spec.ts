import * as parser from '../sql/parser';
import { loadSqlParser } from '../sql/parser';
import type { QueryClassification } from '../core/query-classification.interface';
import { QueryClassifier } from './query-classifier';

describe('QueryClassifier', () => {
  let classifier: QueryClassifier;
  const classify = (sql: string): QueryClassification => classifier.classify(sql);

  beforeAll(async () => {
    await loadSqlParser();
  });

  beforeEach(() => {
    classifier = new QueryClassifier();
  });

  describe('#classify', () => {
    describe('statements that are not a SELECT', () => {
      it.each([
        ['INSERT INTO t (a) VALUES ($1)', 'INSERT'],
        ['UPDATE t SET a = $1 WHERE id = $2', 'UPDATE'],
        ['DELETE FROM t WHERE id = $1', 'DELETE'],
        ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a', 'MERGE'],
        ['CREATE TABLE t (a int)', 'CREATE TABLE'],
        ['ALTER TABLE t ADD COLUMN b int', 'ALTER TABLE'],
        ['DROP TABLE t', 'DROP'],
        ['CREATE INDEX ON t (a)', 'CREATE INDEX'],
        ['TRUNCATE t', 'TRUNCATE'],
        ['LOCK TABLE t IN ACCESS EXCLUSIVE MODE', 'LOCK'],
        ["NOTIFY channel, 'payload'", 'NOTIFY'],
        ['CALL do_work(1)', 'CALL'],
        ['DO $$BEGIN PERFORM 1; END$$', 'DO'],
        ['VACUUM t', 'VACUUM'],
        ['ANALYZE t', 'ANALYZE'],
        ['COPY t FROM STDIN', 'COPY FROM'],
        ['COPY t TO STDOUT', 'COPY TO'],
        ["SET search_path = 'app'", 'SET'],
        ['RESET search_path', 'RESET'],
        ['PREPARE q AS SELECT 1', 'PREPARE'],
        ['EXECUTE q', 'EXECUTE'],
        ['DEALLOCATE q', 'DEALLOCATE'],
        ['DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t', 'DECLARE CURSOR'],
        ['LISTEN channel', 'LISTEN'],
        ['UNLISTEN *', 'UNLISTEN'],
        ['DISCARD ALL', 'DISCARD'],
        ['SHOW search_path', 'SHOW'],
        ['CREATE TEMP TABLE scratch (a int)', 'CREATE TABLE'],
        ['REFRESH MATERIALIZED VIEW mv', 'REFRESH MATERIALIZED VIEW'],
        ['GRANT SELECT ON t TO reader', 'GRANT'],
      ])('routes %s to the primary as a WRITE', (sql, label) => {
        const result = classify(sql);
        expect(result).toMatchObject({ queryType: 'WRITE', target: 'primary', cacheable: false, statementCount: 1 });
        expect(result.reason).toBe(`${label} is not a SELECT`);
      });

      it.each([
        'BEGIN',
        'BEGIN ISOLATION LEVEL SERIALIZABLE',
        'START TRANSACTION READ ONLY',
        'COMMIT',
        'ROLLBACK',
        'SAVEPOINT s1',
        'RELEASE SAVEPOINT s1',
        'ROLLBACK TO SAVEPOINT s1',
        "PREPARE TRANSACTION 'tx1'",
        "COMMIT PREPARED 'tx1'",
      ])('routes transaction control %s to the primary as TRANSACTIONAL', (sql) => {
        const result = classify(sql);
        expect(result).toMatchObject({ queryType: 'TRANSACTIONAL', target: 'primary', cacheable: false, sessionState: false });
        expect(result.reason).toMatch(/^transaction control \(/);
      });
    });

    describe('row locks', () => {
      it('routes SELECT ... FOR UPDATE to the primary', () => {
        expect(classify('SELECT * FROM t WHERE id = $1 FOR UPDATE')).toMatchObject({
          queryType: 'WRITE',
          target: 'primary',
          reason: 'row lock (FOR UPDATE)',
          cacheable: false,
        });
      });

      it.each([
        ['FOR NO KEY UPDATE', 'FOR NO KEY UPDATE'],
        ['FOR SHARE', 'FOR SHARE'],
        ['FOR KEY SHARE', 'FOR KEY SHARE'],
        ['FOR UPDATE SKIP LOCKED', 'FOR UPDATE'],
        ['FOR SHARE NOWAIT', 'FOR SHARE'],
      ])('routes SELECT ... %s to the primary', (clause, strength) => {
        expect(classify(`SELECT * FROM t ${clause}`)).toMatchObject({ target: 'primary', reason: `row lock (${strength})` });
      });

      it.each([
        ['in a subquery', 'SELECT * FROM t WHERE id IN (SELECT id FROM u FOR UPDATE)'],
        ['in a FROM subquery', 'SELECT * FROM (SELECT * FROM u FOR SHARE) s'],
        ['in a LATERAL subquery', 'SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.id = t.id FOR UPDATE) l'],
        ['in a CTE', 'WITH locked AS (SELECT * FROM u FOR UPDATE) SELECT * FROM locked'],
        ['in one arm of a set operation', '(SELECT a FROM t FOR UPDATE) UNION ALL SELECT a FROM u'],
        ['in a scalar subquery', 'SELECT (SELECT a FROM u LIMIT 1 FOR KEY SHARE) FROM t'],
        ['behind EXISTS', 'SELECT 1 WHERE EXISTS (SELECT 1 FROM u FOR NO KEY UPDATE)'],
      ])('routes a row lock %s to the primary', (_where, sql) => {
        expect(classify(sql)).toMatchObject({ queryType: 'WRITE', target: 'primary', cacheable: false });
        expect(classify(sql).reason).toMatch(/^row lock \(FOR /);
      });

      it('does not count FOR UPDATE OF <alias> as a table', () => {
        expect(classify('SELECT * FROM accounts a FOR UPDATE OF a').tablesRead).toEqual([{ name: 'accounts' }]);
      });
    });

    describe('SELECT INTO and data-modifying CTEs', () => {
      it('routes SELECT ... INTO to the primary and names the new table as written', () => {
        const result = classify('SELECT * INTO archive FROM t');
        expect(result).toMatchObject({ queryType: 'WRITE', target: 'primary', reason: 'SELECT INTO creates a table' });
        expect(result.tablesWritten).toEqual([{ name: 'archive' }]);
        expect(result.tablesRead).toEqual([{ name: 't' }]);
        expect(result.sessionState).toBe(false);
      });

      it.each([
        ['INSERT', 'WITH x AS (INSERT INTO t (a) VALUES (1) RETURNING *) SELECT * FROM x'],
        ['UPDATE', 'WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM x'],
        ['DELETE', 'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x'],
        ['MERGE', 'WITH x AS (MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING *) SELECT * FROM x'],
      ])('routes a SELECT with a data-modifying CTE (%s) to the primary', (command, sql) => {
        const result = classify(sql);
        expect(result).toMatchObject({ queryType: 'WRITE', target: 'primary', reason: `data-modifying CTE (${command})`, cacheable: false });
        expect(result.tablesWritten).toEqual([{ name: 't' }]);
      });

      it('keeps a SELECT with read-only CTEs on a replica', () => {
        expect(classify('WITH a AS (SELECT 1), b AS (SELECT * FROM t) SELECT * FROM a, b')).toMatchObject({ target: 'read_replica' });
      });
    });

    describe('functions', () => {
      it.each([
        "SELECT nextval('seq')",
        "SELECT pg_catalog.nextval('seq')",
        "SELECT setval('seq', 1)",
        "SELECT currval('seq')",
        'SELECT lastval()',
        'SELECT txid_current()',
        'SELECT txid_current_if_assigned()',
        'SELECT pg_current_xact_id()',
        "SELECT pg_notify('channel', 'payload')",
        "SELECT lo_import('/tmp/file')",
        'SELECT lo_unlink(42)',
        'SELECT pg_advisory_lock(1)',
        'SELECT pg_advisory_xact_lock(1)',
        'SELECT pg_try_advisory_lock(1)',
        'SELECT pg_try_advisory_xact_lock_shared(1)',
        'SELECT pg_advisory_unlock_all()',
        "SELECT set_config('app.user', 'x', false)",
        "SELECT * FROM dblink('dbname=x', 'SELECT 1') AS t(a int)",
      ])('routes %s to the primary', (sql) => {
        const result = classify(sql);
        expect(result).toMatchObject({ queryType: 'WRITE', target: 'primary', cacheable: false });
        expect(result.reason).toMatch(/\(\) writes or keeps session state$/);
      });

      it.each([
        ['a WHERE subquery', "SELECT * FROM t WHERE id = (SELECT nextval('seq'))"],
        ['a CTE', "WITH n AS (SELECT nextval('seq') AS id) SELECT * FROM n"],
        ['ORDER BY', "SELECT * FROM t ORDER BY setval('seq', 1)"],
        ['a join condition', 'SELECT * FROM t JOIN u ON pg_try_advisory_lock(u.id)'],
        ['a FROM function', 'SELECT * FROM txid_current() AS x'],
        ['a CASE', "SELECT CASE WHEN a THEN currval('seq') END FROM t"],
        ['a set operation arm', 'SELECT 1 UNION SELECT lastval()'],
      ])('routes a write function in %s to the primary', (_where, sql) => {
        expect(classify(sql).target).toBe('primary');
      });

      it('keeps pg_sleep and random() on a replica, but not cacheable', () => {
        expect(classify('SELECT pg_sleep(1)')).toMatchObject({ target: 'read_replica', cacheable: false });
        expect(classify('SELECT random()')).toMatchObject({ target: 'read_replica', cacheable: false });
      });

      it('collects every called function, lower-cased and schema-qualified as written, once', () => {
        const result = classify(
          'WITH c AS (SELECT app.score(id) FROM t) ' +
            'SELECT LOWER(name), lower(email), "MyFunc"(1), coalesce(x, 1), count(*) OVER (), ' +
            '(SELECT Pg_Catalog.UPPER(a) FROM u) FROM c, generate_series(1, 3) g',
        );
        expect(result.functions).toEqual(['app.score', 'lower', 'myfunc', 'count', 'pg_catalog.upper', 'generate_series']);
      });

      it('collects functions of the SQL syntax the parser rewrites (EXTRACT, AT TIME ZONE)', () => {
        expect(classify("SELECT EXTRACT(year FROM created_at), created_at AT TIME ZONE 'UTC' FROM t").functions).toEqual([
          'pg_catalog.extract',
          'pg_catalog.timezone',
        ]);
      });

      it('collects the procedure of CALL', () => {
        expect(classify('CALL app.rebuild($1)').functions).toEqual(['app.rebuild']);
      });
    });

    describe('EXPLAIN', () => {
      it('classifies EXPLAIN ANALYZE of a DELETE as the DELETE (it runs it)', () => {
        const result = classify('EXPLAIN ANALYZE DELETE FROM t WHERE id = $1');
        expect(result).toMatchObject({ queryType: 'WRITE', target: 'primary', cacheable: false });
        expect(result.reason).toBe('EXPLAIN ANALYZE runs the statement: DELETE is not a SELECT');
        expect(result.tablesWritten).toEqual([{ name: 't' }]);
      });

      it('classifies EXPLAIN (ANALYZE, BUFFERS) of a SELECT ... FOR UPDATE as the locking SELECT', () => {
        expect(classify('EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t FOR UPDATE')).toMatchObject({ target: 'primary' });
      });

      it('classifies EXPLAIN ANALYZE of a plain SELECT as a READ, not cacheable', () => {
        expect(classify('EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t')).toMatchObject({
          queryType: 'READ',
          target: 'read_replica',
          cacheable: false,
        });
      });

      it('classifies EXPLAIN ANALYZE of an analytical SELECT as ANALYTICAL', () => {
        expect(classify('EXPLAIN ANALYZE SELECT a, count(*) FROM t GROUP BY a')).toMatchObject({
          queryType: 'ANALYTICAL',
          target: 'analytics',
        });
      });

      it('classifies plain EXPLAIN of a SELECT as a READ', () => {
        expect(classify('EXPLAIN SELECT * FROM t WHERE id = $1')).toMatchObject({
          queryType: 'READ',
          target: 'read_replica',
          cacheable: false,
          tablesRead: [{ name: 't' }],
        });
      });

      it('sends plain EXPLAIN of a DELETE to the primary but writes nothing', () => {
        for (const sql of ['EXPLAIN DELETE FROM t', 'EXPLAIN (ANALYZE false) DELETE FROM t', 'EXPLAIN (ANALYZE off) DELETE FROM t', 'EXPLAIN (ANALYZE 0) DELETE FROM t']) {
          const result = classify(sql);
          expect(result).toMatchObject({ target: 'primary', tablesWritten: [], tablesRead: [{ name: 't' }] });
        }
      });
    });

    describe('sessionState', () => {
      it.each([
        "SET search_path = 'app'",
        'SET SESSION statement_timeout = 1000',
        'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE',
        'RESET ALL',
        'PREPARE q (int) AS SELECT * FROM t WHERE id = $1',
        'DEALLOCATE ALL',
        'DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t',
        'LISTEN channel',
        'UNLISTEN channel',
        'DISCARD ALL',
        "LOAD 'auto_explain'",
        'CREATE TEMP TABLE scratch (a int)',
        'CREATE TEMPORARY TABLE scratch AS SELECT * FROM t',
        'CREATE TEMP VIEW v AS SELECT 1',
        'CREATE TEMP SEQUENCE s',
        'SELECT * INTO TEMP scratch FROM t',
        'SELECT pg_advisory_lock(1)',
        "SELECT set_config('app.user', 'x', false)",
      ])('marks %s as leaving session state', (sql) => {
        expect(classify(sql)).toMatchObject({ sessionState: true, target: 'primary' });
      });

      it.each([
        'SELECT * FROM t',
        'INSERT INTO t VALUES (1)',
        'EXECUTE q(1)',
        'CREATE TABLE t (a int)',
        'BEGIN',
        'SET LOCAL statement_timeout = 1000',
        'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
        'SELECT pg_advisory_xact_lock(1)',
        'NOTIFY channel',
      ])('does not mark %s as leaving session state', (sql) => {
        expect(classify(sql).sessionState).toBe(false);
      });
    });

    describe('analytical reads', () => {
      it.each([
        ['GROUP BY', 'SELECT status, count(*) FROM orders GROUP BY status', 'GROUP BY'],
        ['GROUP BY without an aggregate', 'SELECT status FROM orders GROUP BY status', 'GROUP BY'],
        ['ROLLUP', 'SELECT a, b, sum(c) FROM t GROUP BY ROLLUP (a, b)', 'grouping sets'],
        ['CUBE', 'SELECT a FROM t GROUP BY CUBE (a)', 'grouping sets'],
        ['GROUPING SETS', 'SELECT a, b FROM t GROUP BY GROUPING SETS ((a), (b))', 'grouping sets'],
        ['a window function', 'SELECT id, row_number() OVER (PARTITION BY a ORDER BY b) FROM t', 'window function'],
        ['an aggregate used as a window', 'SELECT id, sum(x) OVER w FROM t WINDOW w AS (ORDER BY id)', 'window function'],
        ['an aggregate over a join', 'SELECT count(*) FROM a JOIN b ON a.id = b.a_id', 'aggregate, join of 2 relations'],
        ['a join of three relations', 'SELECT * FROM a JOIN b ON true LEFT JOIN c ON true', 'join of 3 relations'],
        ['a comma join of three relations', 'SELECT * FROM a, b, c', 'join of 3 relations'],
        ['an aggregate over a UNION', 'SELECT count(*) FROM (SELECT a FROM t UNION SELECT a FROM u) s', 'aggregate, set operation'],
        ['DISTINCT over a join', 'SELECT DISTINCT a.x FROM a JOIN b ON true', 'join of 2 relations, DISTINCT'],
        ['an aggregate in a subquery of a join', 'SELECT * FROM a JOIN (SELECT max(x) m FROM b) s ON true', 'aggregate, join of 2 relations'],
        ['a filtered aggregate of a user function over a join', 'SELECT my_agg(x) FILTER (WHERE y) FROM a, b', 'aggregate, join of 2 relations'],
      ])('routes %s to the analytics pool', (_what, sql, signals) => {
        const result = classify(sql);
        expect(result).toMatchObject({ queryType: 'ANALYTICAL', target: 'analytics', cacheable: true });
        expect(result.reason).toContain(signals);
      });

      it.each([
        ['a single-row aggregate', 'SELECT count(*) FROM t WHERE id = $1'],
        ['an aggregate over one table', 'SELECT max(created_at) FROM t'],
        ['a two-relation join', 'SELECT * FROM a JOIN b ON a.id = b.a_id WHERE a.id = $1'],
        ['a UNION', 'SELECT a FROM t UNION SELECT a FROM u'],
        ['DISTINCT', 'SELECT DISTINCT a FROM t'],
        ['a semi-join through IN', 'SELECT * FROM a WHERE id IN (SELECT a_id FROM b)'],
        ['a subquery in FROM', 'SELECT * FROM (SELECT * FROM t) s'],
        ['a primary-key lookup', 'SELECT * FROM users WHERE id = $1'],
      ])('keeps %s a plain READ', (_what, sql) => {
        expect(classify(sql)).toMatchObject({ queryType: 'READ', target: 'read_replica', reason: 'plain read' });
      });
    });

    describe('tablesRead and tablesWritten', () => {
      it('names schema-qualified tables with their schema and de-duplicates', () => {
        const result = classify('SELECT * FROM app.users u JOIN app.users v ON true JOIN users w ON true WHERE u.id IN (SELECT id FROM "Audit".log)');
        expect(result.tablesRead).toEqual([{ schema: 'app', name: 'users' }, { name: 'users' }, { schema: 'Audit', name: 'log' }]);
        expect(result.tablesWritten).toEqual([]);
      });

      it('excludes CTE names referenced as tables', () => {
        const result = classify('WITH recent AS (SELECT * FROM orders WHERE at > $1) SELECT * FROM recent JOIN customers c ON true');
        expect(result.tablesRead).toEqual([{ name: 'orders' }, { name: 'customers' }]);
      });

      it('keeps a schema-qualified table that shares a CTE name', () => {
        expect(classify('WITH t AS (SELECT 1) SELECT * FROM t, public.t').tablesRead).toEqual([{ schema: 'public', name: 't' }]);
      });

      it('reads the real table when a plain CTE reads its own name', () => {
        expect(classify('WITH users AS (SELECT * FROM users WHERE active) SELECT * FROM users').tablesRead).toEqual([{ name: 'users' }]);
      });

      it('lets a later CTE read an earlier one, and a recursive CTE read itself', () => {
        expect(classify('WITH a AS (SELECT * FROM t), b AS (SELECT * FROM a) SELECT * FROM b').tablesRead).toEqual([{ name: 't' }]);
        expect(
          classify('WITH RECURSIVE tree AS (SELECT * FROM nodes WHERE parent IS NULL UNION ALL SELECT n.* FROM nodes n JOIN tree ON n.parent = tree.id) SELECT * FROM tree')
            .tablesRead,
        ).toEqual([{ name: 'nodes' }]);
      });

      it('scopes a CTE to its own query: the same name elsewhere is a table', () => {
        expect(classify('SELECT * FROM a WHERE x IN (WITH a AS (SELECT 1) SELECT * FROM a)').tablesRead).toEqual([{ name: 'a' }]);
      });

      it('separates the INSERT target from the tables its SELECT reads', () => {
        const result = classify('INSERT INTO app.archive (id) SELECT id FROM app.orders WHERE id IN (SELECT order_id FROM refunds)');
        expect(result.tablesWritten).toEqual([{ schema: 'app', name: 'archive' }]);
        expect(result.tablesRead).toEqual([{ schema: 'app', name: 'orders' }, { name: 'refunds' }]);
      });

      it('separates UPDATE ... FROM, DELETE ... USING and MERGE targets from their sources', () => {
        expect(classify('UPDATE t SET a = u.a FROM u WHERE t.id = u.id')).toMatchObject({ tablesWritten: [{ name: 't' }], tablesRead: [{ name: 'u' }] });
        expect(classify('DELETE FROM t USING u WHERE t.id = u.id')).toMatchObject({ tablesWritten: [{ name: 't' }], tablesRead: [{ name: 'u' }] });
        expect(classify('MERGE INTO t USING (SELECT * FROM s) src ON t.id = src.id WHEN NOT MATCHED THEN INSERT VALUES (src.id)')).toMatchObject({
          tablesWritten: [{ name: 't' }],
          tablesRead: [{ name: 's' }],
        });
      });

      it('reads the tables of a WITH on an INSERT without counting the CTE', () => {
        const result = classify('WITH src AS (SELECT * FROM staging) INSERT INTO t SELECT * FROM src');
        expect(result).toMatchObject({ tablesWritten: [{ name: 't' }], tablesRead: [{ name: 'staging' }] });
      });

      it('names the subjects of TRUNCATE, ALTER, DROP, CREATE INDEX and COPY FROM as written', () => {
        expect(classify('TRUNCATE a, s.b').tablesWritten).toEqual([{ name: 'a' }, { schema: 's', name: 'b' }]);
        expect(classify('ALTER TABLE s.t ADD COLUMN c int').tablesWritten).toEqual([{ schema: 's', name: 't' }]);
        expect(classify('DROP TABLE IF EXISTS s.t, u').tablesWritten).toEqual([{ schema: 's', name: 't' }, { name: 'u' }]);
        expect(classify('CREATE INDEX CONCURRENTLY i ON s.t (a)').tablesWritten).toEqual([{ schema: 's', name: 't' }]);
        expect(classify('COPY t FROM STDIN').tablesWritten).toEqual([{ name: 't' }]);
      });

      it('names COPY TO as a read', () => {
        expect(classify('COPY t TO STDOUT')).toMatchObject({ tablesRead: [{ name: 't' }], tablesWritten: [] });
        expect(classify('COPY (SELECT * FROM t) TO STDOUT')).toMatchObject({ tablesRead: [{ name: 't' }], tablesWritten: [] });
      });

      it('names the table a CREATE TABLE AS fills as written', () => {
        expect(classify('CREATE TABLE copy AS SELECT * FROM t')).toMatchObject({ tablesWritten: [{ name: 'copy' }], tablesRead: [{ name: 't' }] });
      });
    });

    describe('cacheable', () => {
      it.each([
        'SELECT * FROM t WHERE id = $1',
        'SELECT a, count(*) FROM t GROUP BY a',
        'WITH a AS (SELECT * FROM t) SELECT * FROM a',
        'SELECT lower(name) FROM users',
        'SELECT 1',
      ])('marks %s as cacheable', (sql) => {
        expect(classify(sql).cacheable).toBe(true);
      });

      it.each([
        ['now()', 'SELECT * FROM t WHERE at > now()'],
        ['CURRENT_TIMESTAMP', 'SELECT CURRENT_TIMESTAMP'],
        ['CURRENT_DATE', 'SELECT * FROM t WHERE day = CURRENT_DATE'],
        ['CURRENT_TIME', 'SELECT CURRENT_TIME'],
        ['LOCALTIME', 'SELECT LOCALTIME'],
        ['LOCALTIMESTAMP', 'SELECT LOCALTIMESTAMP'],
        ['CURRENT_USER', 'SELECT * FROM t WHERE owner = CURRENT_USER'],
        ['SESSION_USER', 'SELECT SESSION_USER'],
        ['USER', 'SELECT USER'],
        ['CURRENT_ROLE', 'SELECT CURRENT_ROLE'],
        ['random()', 'SELECT * FROM t ORDER BY random() LIMIT 1'],
        ['clock_timestamp()', 'SELECT clock_timestamp()'],
        ['statement_timestamp()', 'SELECT statement_timestamp()'],
        ['transaction_timestamp()', 'SELECT transaction_timestamp()'],
        ['timeofday()', 'SELECT timeofday()'],
        ['gen_random_uuid()', 'SELECT gen_random_uuid()'],
        ['uuid_generate_v4()', 'SELECT uuid_generate_v4()'],
        ['a nested volatile call', 'SELECT * FROM t WHERE id = (SELECT max(id) FROM u WHERE at < now())'],
        ['a temp table', 'SELECT * FROM pg_temp.scratch'],
        ['a system catalog', 'SELECT * FROM pg_catalog.pg_class'],
        ['an unqualified catalog table', 'SELECT * FROM pg_stat_activity'],
        ['information_schema', 'SELECT * FROM information_schema.tables'],
        ['TABLESAMPLE', 'SELECT * FROM t TABLESAMPLE SYSTEM (10)'],
        ['a row lock', 'SELECT * FROM t FOR SHARE'],
        ['SELECT INTO', 'SELECT * INTO copy FROM t'],
        ['a write function', "SELECT nextval('s')"],
        ['a data-modifying CTE', 'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d'],
        ['two statements', 'SELECT 1; SELECT 2'],
        ['an INSERT', 'INSERT INTO t VALUES (1)'],
      ])('does not mark a SELECT with %s as cacheable', (_what, sql) => {
        expect(classify(sql).cacheable).toBe(false);
      });
    });

    describe('normalizedSql and fingerprint', () => {
      it.each([
        ["SELECT * FROM users WHERE email = 'alice@example.com' AND pin = 4242", ['alice@example.com', '4242']],
        ['SELECT $tag$s3cr3t$tag$, E\'line\\nbreak\', 3.14159, B\'1011\', X\'DEADBEEF\'', ['s3cr3t', 'line', '3.14159', '1011', 'DEADBEEF']],
        ["SELECT * FROM t WHERE id IN (1001, 1002, 1003) LIMIT 77", ['1001', '1002', '1003', '77']],
        ['/* user=alice */ SELECT 1 /* token=abc123 */ FROM t -- session=s3ss10n', ['alice', 'abc123', 's3ss10n']],
        ["INSERT INTO t (a, b) VALUES ('hunter2', 99)", ['hunter2', '99']],
        ["EXECUTE q('hunter2', 12345)", ['hunter2', '12345']],
        ["PREPARE q AS SELECT 'hunter2' FROM t WHERE a = $1", ['hunter2']],
        ["CREATE VIEW v AS SELECT * FROM t WHERE code = 'hunter2'", ['hunter2']],
        ["COMMENT ON TABLE t IS 'hunter2'", ['hunter2']],
        ["ALTER ROLE app PASSWORD 'hunter2'", ['hunter2']],
        ["SELEC 'hunter2', 12345 FROM t", ['hunter2', '12345']],
        ["SELECT 'hunter2'; DELETE FROM t WHERE id = 12345", ['hunter2', '12345']],
      ])('never keeps literal values in the normalized text of %s', (sql, secrets) => {
        const { normalizedSql } = classify(sql);
        expect(normalizedSql).not.toBe('');
        for (const secret of secrets) expect(normalizedSql).not.toContain(secret);
      });

      it('replaces constants by numbered parameters after the existing ones', () => {
        expect(classify("SELECT * FROM t WHERE a = $1 AND b = 'x'").normalizedSql).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
        expect(classify("EXECUTE q($1, 'x')").normalizedSql).toBe('EXECUTE q($1, $2)');
      });

      it('keeps the ordinals and type modifiers of a SELECT, which are structure, not values', () => {
        expect(classify('SELECT a::varchar(20) FROM t GROUP BY 1 ORDER BY 1').normalizedSql).toBe('SELECT a::varchar(20) FROM t GROUP BY 1 ORDER BY 1');
      });

      it('keeps identifiers that contain digits', () => {
        expect(classify('SELECT t1.a FROM t1 JOIN t2 ON t1.id = t2.id').normalizedSql).toBe('SELECT t1.a FROM t1 JOIN t2 ON t1.id = t2.id');
      });

      it('gives texts differing only in constants the same hex fingerprint', () => {
        const a = classify("SELECT * FROM t WHERE id = 1 AND name = 'x'");
        const b = classify("SELECT * FROM t WHERE id = 2 AND name = 'y'");
        const c = classify('SELECT * FROM u WHERE id = 1');
        expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
        expect(a.fingerprint).toBe(b.fingerprint);
        expect(c.fingerprint).not.toBe(a.fingerprint);
      });

      it('returns the parse tree', () => {
        const tree = classify('SELECT 1').parseTree as { stmts: Array<{ stmt: Record<string, unknown> }> };
        expect(Object.keys(tree.stmts[0].stmt)).toEqual(['SelectStmt']);
      });
    });

    describe('statement count', () => {
      it('routes two SELECTs in one text to the primary', () => {
        expect(classify('SELECT * FROM a; SELECT * FROM b')).toMatchObject({
          statementCount: 2,
          target: 'primary',
          queryType: 'READ',
          reason: '2 statements in one text',
          cacheable: false,
          tablesRead: [{ name: 'a' }, { name: 'b' }],
        });
      });

      it('merges what several statements write, read and call', () => {
        const result = classify("BEGIN; UPDATE t SET a = lower('X'); SELECT * FROM u; SET search_path = x; COMMIT");
        expect(result).toMatchObject({
          statementCount: 5,
          queryType: 'WRITE',
          target: 'primary',
          tablesWritten: [{ name: 't' }],
          tablesRead: [{ name: 'u' }],
          functions: ['lower'],
          sessionState: true,
        });
      });

      it('calls a text of transaction control only TRANSACTIONAL', () => {
        expect(classify('BEGIN; COMMIT')).toMatchObject({ queryType: 'TRANSACTIONAL', target: 'primary', statementCount: 2 });
      });

      it('routes a text without statements to the primary', () => {
        expect(classify('-- nothing here')).toMatchObject({ statementCount: 0, target: 'primary', queryType: 'WRITE', normalizedSql: '' });
        expect(classify(';')).toMatchObject({ statementCount: 0, target: 'primary' });
      });
    });

    describe('unparseable text', () => {
      it('routes it to the primary as a WRITE with the parser error', () => {
        const result = classify('SELEC * FROM t');
        expect(result).toMatchObject({
          queryType: 'WRITE',
          target: 'primary',
          fingerprint: '',
          normalizedSql: 'SELEC * FROM t',
          statementCount: 0,
          parseError: 'syntax error at or near "SELEC"',
          cacheable: false,
          tablesRead: [],
          functions: [],
        });
        expect(result.reason).toBe('unparseable: syntax error at or near "SELEC"');
        expect(result.parseTree).toBeUndefined();
      });

      it('hides a literal quoted by the parser error', () => {
        const result = classify("SELECT 'hunter2");
        expect(result.parseError).toBe('unterminated quoted string at or near a literal');
        expect(result.normalizedSql).toBe('');
        expect(JSON.stringify(result)).not.toContain('hunter2');
      });

      it('treats the empty text as unparseable', () => {
        expect(classify('')).toMatchObject({ target: 'primary', parseError: expect.any(String), fingerprint: '' });
      });
    });

    describe('cache', () => {
      it('returns the same frozen classification for the same text, parsing once', () => {
        const parse = jest.spyOn(parser, 'parseSql');
        try {
          const first = classify('SELECT * FROM t WHERE id = $1');
          const second = classify('SELECT * FROM t WHERE id = $1');
          expect(second).toBe(first);
          expect(parse).toHaveBeenCalledTimes(1);
          expect(Object.isFrozen(first)).toBe(true);
          expect(Object.isFrozen(first.tablesRead)).toBe(true);
          expect(classifier.stats()).toEqual({ size: 1, bytes: expect.any(Number), hits: 1, misses: 1 });
        } finally {
          parse.mockRestore();
        }
      });

      it('keys on the exact text', () => {
        classify('SELECT 1');
        classify('select 1');
        classify('SELECT 1 ');
        expect(classifier.misses).toBe(3);
        expect(classifier.hits).toBe(0);
      });

      it('caches unparseable texts too', () => {
        classify('SELEC 1');
        classify('SELEC 1');
        expect({ hits: classifier.hits, misses: classifier.misses }).toEqual({ hits: 1, misses: 1 });
      });

      it('keeps at most cacheSize texts, evicting the least recently used', () => {
        classifier = new QueryClassifier(3);
        for (let i = 0; i < 10; i++) classify(`SELECT ${i}`);
        expect(classifier.cacheSize).toBe(3);
        expect(classifier.cacheCapacity).toBe(3);
        classify('SELECT 9');
        expect(classifier.hits).toBe(1);
        classify('SELECT 0');
        expect(classifier.misses).toBe(11);
      });

      it('forgets everything on clear()', () => {
        classify('SELECT 1');
        classifier.clear();
        expect(classifier.cacheSize).toBe(0);
        classify('SELECT 1');
        expect(classifier.misses).toBe(2);
      });

      it('answers a cached text in microseconds', () => {
        classify('SELECT * FROM t WHERE id = $1');
        const rounds = 20_000;
        const started = process.hrtime.bigint();
        for (let i = 0; i < rounds; i++) classify('SELECT * FROM t WHERE id = $1');
        const perCallUs = Number(process.hrtime.bigint() - started) / 1000 / rounds;
        // Generous bound: a hit is ~0.1-1 µs; parsing would be 50 µs or more.
        expect(perCallUs).toBeLessThan(20);
      });

      it('rejects a cacheSize that is not a positive integer', () => {
        expect(() => new QueryClassifier(0)).toThrow(RangeError);
        expect(() => new QueryClassifier(1.5)).toThrow(/positive integer/);
      });
    });

    it('throws a clear error when the parser is not loaded', async () => {
      await jest.isolateModulesAsync(async () => {
        const fresh = require('./query-classifier') as typeof import('./query-classifier');
        const freshParser = require('../sql/parser') as typeof import('../sql/parser');
        expect(() => new fresh.QueryClassifier().classify('SELECT 1')).toThrow(/await loadSqlParser\(\)/);
        // The fresh libpg-query copy compiles its WebAssembly as soon as it is required: let it finish.
        await freshParser.loadSqlParser();
      });
    });
  });
});
