import { loadSqlParser } from '../../sql/parser';
import { ruleContext } from './fixtures/rule-context';
import { leadingWildcardRule } from './leading-wildcard.rule';

describe('leadingWildcardRule', () => {
  beforeAll(() => loadSqlParser());

  it('suggests a trigram index for LIKE with a leading wildcard', () => {
    const [suggestion] = leadingWildcardRule.check(ruleContext("SELECT id FROM shop.users u WHERE u.email LIKE '%@example.com'"));
    expect(suggestion.fix).toBe('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY ON shop.users USING gin (email gin_trgm_ops)');
    expect(JSON.stringify(suggestion)).not.toContain('example.com');
  });

  it('reads the pattern from the parameter values, for ILIKE too', () => {
    const sql = 'SELECT id FROM users WHERE name ILIKE $1';
    expect(leadingWildcardRule.check(ruleContext(sql, undefined, [], ['%ann%']))[0].message).toContain('ILIKE with a leading wildcard');
    expect(leadingWildcardRule.check(ruleContext(sql, undefined, [], ['ann%']))).toEqual([]);
    expect(leadingWildcardRule.check(ruleContext(sql))).toEqual([]);
  });
});
