import { loadSqlParser } from '../../sql/parser';
import { ruleContext } from './fixtures/rule-context';
import { functionOnColumnRule } from './function-on-column.rule';

describe('functionOnColumnRule', () => {
  beforeAll(() => loadSqlParser());

  it('suggests an expression index for lower(column) = $1', () => {
    const [suggestion] = functionOnColumnRule.check(ruleContext('SELECT id FROM shop.users u WHERE lower(u.email) = $1'));
    expect(suggestion).toMatchObject({ severity: 'warning', fix: 'CREATE INDEX CONCURRENTLY ON shop.users ((lower(email)))' });
  });

  it('handles casts and nested calls', () => {
    const cast = functionOnColumnRule.check(ruleContext('SELECT 1 FROM events WHERE created_at::date = $1'));
    expect(cast[0].fix).toBe('CREATE INDEX CONCURRENTLY ON events ((created_at::date))');
    const nested = functionOnColumnRule.check(ruleContext("SELECT 1 FROM events WHERE date_trunc('day', created_at) >= now()"));
    expect(nested[0].fix).toBe("CREATE INDEX CONCURRENTLY ON events ((date_trunc('day', created_at)))");
  });

  it('leaves bare columns and functions of values alone', () => {
    expect(functionOnColumnRule.check(ruleContext('SELECT 1 FROM users WHERE email = lower($1)'))).toEqual([]);
  });
});
