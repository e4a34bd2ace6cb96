import type { PoolClient } from 'pg';
import type { RawExplainOutput } from '../plan/raw-plan.interface';

/** A statement ready to cost: its text and how many `$n` parameters it takes. */
export interface CostedStatement {
  text: string;
  parameterCount: number;
}

/** GENERIC_PLAN, EXPLAIN's option for parameterized text, exists from PostgreSQL 16. */
const GENERIC_PLAN_VERSION = 160_000;

/**
 * The planner's total cost of a statement, on one connection, without running
 * it. Parameterized statements get their generic plan (the plan for any
 * value): `EXPLAIN (GENERIC_PLAN)` on PostgreSQL 16+; before that, `PREPARE`
 * + `EXPLAIN EXECUTE` with `plan_cache_mode = force_generic_plan`, so no
 * parameter value is ever substituted into SQL. Each PREPARE is fresh, since
 * a cached plan would not see hypothetical indexes created after it.
 * Call {@link PlanCoster.begin} inside the caller's transaction first.
 */
export class PlanCoster {
  private counter = 0;
  private readonly prepared = new Set<string>();

  constructor(
    private readonly client: PoolClient,
    private readonly serverVersion: number,
  ) {}

  /** Makes EXECUTE plan generically for the rest of the transaction (SET LOCAL). */
  async begin(): Promise<void> {
    if (this.serverVersion < GENERIC_PLAN_VERSION) {
      await this.client.query("SELECT set_config('plan_cache_mode', 'force_generic_plan', true)");
    }
  }

  async cost(statement: CostedStatement): Promise<number> {
    if (statement.parameterCount === 0) return this.explain(statement.text);
    if (this.serverVersion >= GENERIC_PLAN_VERSION) return this.explain(statement.text, 'GENERIC_PLAN, ');
    const name = `db_optimizer_advice_${process.pid}_${++this.counter}`;
    await this.client.query(`PREPARE ${name} AS ${statement.text}`);
    this.prepared.add(name);
    // NULLs only fill the argument list: under force_generic_plan the values take no part in planning.
    const cost = await this.explain(`EXECUTE ${name}(${new Array(statement.parameterCount).fill('NULL').join(', ')})`);
    await this.deallocate(name);
    return cost;
  }

  /**
   * Drops prepared statements a failure left behind. PREPARE is not undone by
   * ROLLBACK, so this runs once the transaction is usable again.
   */
  async cleanUp(): Promise<void> {
    for (const name of [...this.prepared]) await this.deallocate(name).catch(() => undefined);
  }

  private async deallocate(name: string): Promise<void> {
    await this.client.query(`DEALLOCATE ${name}`);
    this.prepared.delete(name);
  }

  private async explain(text: string, options = ''): Promise<number> {
    const { rows } = await this.client.query<{ 'QUERY PLAN': RawExplainOutput }>(`EXPLAIN (${options}FORMAT JSON) ${text}`);
    return rows[0]['QUERY PLAN'][0].Plan['Total Cost'];
  }
}
