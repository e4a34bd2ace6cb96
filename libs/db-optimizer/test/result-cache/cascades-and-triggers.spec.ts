import { uniqueSchema } from '@db-optimizer/cluster';
import { levelOf, replicatedSchema } from './support/cache-fixture';

describe('writes that reach other tables', () => {
  const schema = uniqueSchema('rc_reach');
  const fixture = replicatedSchema(
    schema,
    `CREATE TABLE parents (id int PRIMARY KEY);
       CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents ON DELETE CASCADE);
       INSERT INTO parents VALUES (1), (2);
       INSERT INTO children VALUES (10, 1), (11, 1), (20, 2);
       CREATE TABLE orders (id int PRIMARY KEY, amount int);
       CREATE TABLE audit (id serial PRIMARY KEY, order_id int, amount int);
       CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN INSERT INTO ${schema}.audit (order_id, amount) VALUES (NEW.id, NEW.amount); RETURN NEW; END $$;
       CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_order();`,
  );
  const app = fixture.bootInstance();

  it('drops cached reads of the child table when a parent is deleted with ON DELETE CASCADE', async () => {
    const ofParent = () => app.db.executeOptimizedQuery(`SELECT id FROM ${schema}.children WHERE parent_id = $1 ORDER BY id`, [1]);
    const child = () => app.db.executeOptimizedQuery(`SELECT parent_id FROM ${schema}.children WHERE id = $1`, [11]);
    await Promise.all([ofParent(), child()]);
    expect((await Promise.all([ofParent(), child()])).map(levelOf)).toEqual(['memory', 'memory']);

    await app.db.executeOptimizedQuery(`DELETE FROM ${schema}.parents WHERE id = $1`, [1]);

    const [rows, row] = await Promise.all([ofParent(), child()]);
    expect([levelOf(rows), levelOf(row)]).toEqual([false, false]);
    expect([rows.rows, row.rows]).toEqual([[], []]);
  });

  it('drops cached reads of a table a trigger writes', async () => {
    const audited = () => app.db.executeOptimizedQuery<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.audit WHERE amount > $1`, [0]);
    await audited();
    expect(levelOf(await audited())).toBe('memory');

    await app.db.executeOptimizedQuery(`INSERT INTO ${schema}.orders VALUES ($1, $2)`, [1, 30]);

    const after = await audited();
    expect(levelOf(after)).toBe(false);
    expect(after.rows).toEqual([{ n: '1' }]);
  });
});
