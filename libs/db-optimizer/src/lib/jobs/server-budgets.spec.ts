import { BudgetPool, ServerBudgets } from './server-budgets';

const pool = (server = 'db:5432'): BudgetPool => ({ server }) as BudgetPool;

describe('ServerBudgets', () => {
  describe('#budgetOf', () => {
    it('reads max_connections once per server and caches the budget', async () => {
      const read = jest.fn(async () => 100);
      const budgets = new ServerBudgets({ reservedConnections: 10, instances: 3, read });
      const [first, second] = await Promise.all([budgets.budgetOf([pool()]), budgets.budgetOf([pool()])]);
      await budgets.budgetOf([pool()]);
      expect(first).toEqual({ server: 'db:5432', maxConnections: 100, reservedConnections: 10, instances: 3, budget: 30 });
      expect(second).toBe(first);
      expect(read).toHaveBeenCalledTimes(1);
      expect(budgets.cached('db:5432')).toBe(first);
    });

    it('reads each server separately', async () => {
      const read = jest.fn(async (p: BudgetPool) => (p.server === 'a:5432' ? 50 : 200));
      const budgets = new ServerBudgets({ reservedConnections: 0, instances: 1, read });
      expect((await budgets.budgetOf([pool('a:5432')]))?.budget).toBe(50);
      expect((await budgets.budgetOf([pool('b:5432')]))?.budget).toBe(200);
      expect(budgets.all().map((b) => b.server)).toEqual(['a:5432', 'b:5432']);
    });

    it('tries the next pool of the server when one cannot read', async () => {
      const broken = pool();
      const read = jest.fn(async (p: BudgetPool) => {
        if (p === broken) throw new Error('connect ECONNREFUSED');
        return 20;
      });
      const budgets = new ServerBudgets({ reservedConnections: 4, instances: 2, read });
      expect((await budgets.budgetOf([broken, pool()]))?.budget).toBe(8);
    });

    it('returns undefined on failure, reports it once, and reads again on the next call', async () => {
      const onReadFailure = jest.fn();
      const read = jest.fn().mockRejectedValueOnce(new Error('down')).mockRejectedValueOnce(new Error('down')).mockResolvedValue(30);
      const budgets = new ServerBudgets({ reservedConnections: 10, instances: 1, read, onReadFailure });
      expect(await budgets.budgetOf([pool()])).toBeUndefined();
      expect(await budgets.budgetOf([pool()])).toBeUndefined();
      expect(onReadFailure).toHaveBeenCalledTimes(1);
      expect(onReadFailure).toHaveBeenCalledWith('db:5432', expect.objectContaining({ message: 'down' }));
      expect((await budgets.budgetOf([pool()]))?.budget).toBe(20);
    });

    it('has no budget for no pools', async () => {
      expect(await new ServerBudgets({ reservedConnections: 0, instances: 1 }).budgetOf([])).toBeUndefined();
    });
  });
});
