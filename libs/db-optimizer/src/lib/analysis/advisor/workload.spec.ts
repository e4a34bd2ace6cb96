import { QueryClassifier } from '../../classify/query-classifier';
import { loadSqlParser } from '../../sql/parser';
import { prepareWorkload } from './workload';

describe('prepareWorkload', () => {
  const classifier = new QueryClassifier();

  beforeAll(() => loadSqlParser());

  it('merges texts of one fingerprint and ranks by total time, then calls', () => {
    const { items } = prepareWorkload(
      classifier,
      [
        { sql: 'SELECT * FROM a WHERE x = 1', calls: 10, totalTimeMs: 100 },
        { sql: 'SELECT * FROM b WHERE y = $1', calls: 5, totalTimeMs: 150 },
        { sql: 'SELECT * FROM a WHERE x = 2', calls: 10, totalTimeMs: 100 },
        { sql: 'SELECT * FROM c', calls: 99 },
      ],
      10,
    );
    expect(items.map((item) => [item.normalizedSql, item.calls, item.totalTimeMs])).toEqual([
      ['SELECT * FROM a WHERE x = $1', 20, 200],
      ['SELECT * FROM b WHERE y = $1', 5, 150],
      ['SELECT * FROM c', 99, 0],
    ]);
  });

  it('counts the parameters PREPARE needs and keeps the statement text without its semicolon', () => {
    const [item] = prepareWorkload(classifier, [{ sql: ' SELECT 1 FROM t WHERE a = $1 AND b IN ($3, $2); ' }], 10).items;
    expect(item).toMatchObject({ parameterCount: 3, text: 'SELECT 1 FROM t WHERE a = $1 AND b IN ($3, $2)' });
  });

  it('keeps the costliest statements only, and reports what it cannot advise on', () => {
    const { items, skipped } = prepareWorkload(
      classifier,
      [
        { sql: 'SELECT 1 FROM a', totalTimeMs: 1 },
        { sql: 'SELECT 1 FROM b', totalTimeMs: 2 },
        { sql: "INSERT INTO c VALUES ('x')" },
        { sql: 'VACUUM d' },
      ],
      1,
    );
    expect(items.map((item) => item.normalizedSql)).toEqual(['SELECT $1 FROM b']);
    expect(skipped).toEqual([
      { query: 'INSERT INTO c VALUES ($1)', reason: 'only SELECT, UPDATE and DELETE filter rows an index can find' },
      { query: 'VACUUM d', reason: expect.stringContaining('Vacuum cannot be explained') },
    ]);
  });
});
