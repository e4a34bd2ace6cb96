import { loadSqlParser } from '../parser';
import { planConditionPredicates } from './plan-condition';

describe('planConditionPredicates', () => {
  const orders = { schema: 'shop', name: 'orders', alias: 'o' };

  beforeAll(() => loadSqlParser());

  it('reads the columns of a VERBOSE plan filter for the scanned alias', () => {
    const predicates = planConditionPredicates("((o.a = 5) AND (o.b = 5) AND (o.email ~~ '%x'::text))", orders);
    expect(predicates?.map((p) => [p.kind, p.column.relation?.alias, p.column.column, p.leadingWildcard])).toEqual([
      ['equality', 'o', 'a', undefined],
      ['equality', 'o', 'b', undefined],
      ['like', 'o', 'email', true],
    ]);
  });

  it('leaves another alias\'s columns unresolved in a join filter', () => {
    const predicates = planConditionPredicates('(c.id = o.customer_id)', orders);
    expect(predicates?.map((p) => [p.column.relation?.alias, p.column.column])).toEqual([
      [undefined, 'id'],
      ['o', 'customer_id'],
    ]);
  });

  it('gives up on texts that are not SQL', () => {
    expect(planConditionPredicates('(hashed SubPlan 1)', orders)).toBeUndefined();
    expect(planConditionPredicates(undefined, orders)).toBeUndefined();
  });
});
