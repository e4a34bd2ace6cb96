import { uniqueSchema } from '@db-optimizer/cluster';
import { levelOf, replicatedSchema } from './support/cache-fixture';

describe('transactions and the result cache', () => {
  const schema = uniqueSchema('rc_tx');
  const T = `${schema}.accounts`;
  const fixture = replicatedSchema(schema, 'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, 100), (2, 100)');
  const app = fixture.bootInstance();

  const balance = (id: number) => app.db.executeOptimizedQuery<{ balance: number }>(`SELECT balance FROM ${T} WHERE id = $1`, [id]);
  const total = () => app.db.executeOptimizedQuery<{ s: string }>(`SELECT sum(balance) AS s FROM ${T}`);

  async function warm(): Promise<void> {
    await Promise.all([balance(1), balance(2), total()]);
    expect((await Promise.all([balance(1), balance(2), total()])).map(levelOf)).toEqual(['memory', 'memory', 'memory']);
  }

  it('invalidates at COMMIT what the transaction wrote', async () => {
    await warm();
    await app.db.executeTransactionOptimized(async (tx) => {
      await tx.query(`UPDATE ${T} SET balance = balance - 10 WHERE id = $1`, [1]);
      await tx.query(`UPDATE ${T} SET balance = balance + 10 WHERE id = $1`, [2]);
    });
    const [one, two] = await Promise.all([balance(1), balance(2)]);
    expect([levelOf(one), levelOf(two)]).toEqual([false, false]);
    expect([one.rows[0].balance, two.rows[0].balance]).toEqual([90, 110]);
    expect(levelOf(await total())).toBe(false);
  });

  it('invalidates nothing when the transaction rolls back', async () => {
    await warm();
    await expect(
      app.db.executeTransactionOptimized(async (tx) => {
        await tx.query(`UPDATE ${T} SET balance = 0 WHERE id = $1`, [1]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const one = await balance(1);
    expect(levelOf(one)).toBe('memory');
    expect(one.rows[0].balance).toBe(90);
  });

  it('invalidates at COMMIT of an atomic batch', async () => {
    await warm();
    await app.db.executeBatchOptimized([[`UPDATE ${T} SET balance = 50 WHERE id = $1`, [2]]], { atomic: true });
    const two = await balance(2);
    expect(levelOf(two)).toBe(false);
    expect(two.rows[0].balance).toBe(50);
    expect(levelOf(await balance(1))).toBe('memory');
  });
});
