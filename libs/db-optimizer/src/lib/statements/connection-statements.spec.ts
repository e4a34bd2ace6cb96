import { ConnectionStatements } from './connection-statements';

describe('ConnectionStatements', () => {
  describe('#admit', () => {
    it('displaces nothing while there is room', () => {
      const statements = new ConnectionStatements(2);
      expect(statements.admit('a', 'SELECT $1')).toBeUndefined();
      expect(statements.admit('b', 'SELECT $2')).toBeUndefined();
      expect(statements.size).toBe(2);
    });

    it('displaces the least recently used name when full', () => {
      const statements = new ConnectionStatements(2);
      statements.admit('a', 'SELECT $1');
      statements.admit('b', 'SELECT $2');
      statements.use('a');
      expect(statements.admit('c', 'SELECT $3')).toBe('b');
      expect(statements.use('b')).toBeUndefined();
      expect(statements.use('a')).toBe('SELECT $1');
      expect(statements.size).toBe(2);
    });

    it('displaces nothing when the name is already there', () => {
      const statements = new ConnectionStatements(1);
      statements.admit('a', 'SELECT $1');
      expect(statements.admit('a', 'SELECT $1')).toBeUndefined();
      expect(statements.size).toBe(1);
    });

    it('never grows past its capacity', () => {
      const statements = new ConnectionStatements(3);
      const displaced: string[] = [];
      for (let i = 0; i < 100; i++) {
        const name = statements.admit(`n${i}`, `SELECT ${i}, $1`);
        if (name) displaced.push(name);
      }
      expect(statements.size).toBe(3);
      expect(displaced).toEqual(Array.from({ length: 97 }, (_, i) => `n${i}`));
    });
  });

  describe('#use', () => {
    it('returns the text a name was admitted with', () => {
      const statements = new ConnectionStatements(2);
      statements.admit('a', 'SELECT $1');
      expect(statements.use('a')).toBe('SELECT $1');
      expect(statements.use('z')).toBeUndefined();
    });
  });

  describe('#markUnsettled', () => {
    it('drops the name and blocks it until its deallocation has ended', () => {
      const statements = new ConnectionStatements(2);
      statements.admit('a', 'SELECT $1');
      statements.markUnsettled('a');
      expect(statements.use('a')).toBeUndefined();
      expect(statements.isBlocked('a')).toBe(true);
      expect(statements.unsettled()).toEqual(['a']);

      statements.beginDeallocation('a');
      expect(statements.unsettledCount).toBe(0);
      expect(statements.isBlocked('a')).toBe(true);

      statements.endDeallocation('a');
      expect(statements.isBlocked('a')).toBe(false);
      expect(statements.size).toBe(0);
    });

    it('leaves a name whose DEALLOCATE is on its way to that one: no second DEALLOCATE is asked for', () => {
      const statements = new ConnectionStatements(2);
      statements.admit('a', 'SELECT $1');
      statements.beginDeallocation('a');

      statements.markUnsettled('a');

      expect(statements.isUnsettled('a')).toBe(false);
      expect(statements.unsettledCount).toBe(0);
      expect(statements.isBlocked('a')).toBe(true);
      statements.endDeallocation('a');
      expect(statements.isBlocked('a')).toBe(false);
    });
  });

  describe('#beginDeallocation', () => {
    it('drops a prepared name and blocks it while the DEALLOCATE is on its way', () => {
      const statements = new ConnectionStatements(2);
      statements.admit('a', 'SELECT $1');
      statements.beginDeallocation('a');
      expect(statements.use('a')).toBeUndefined();
      expect(statements.isBlocked('a')).toBe(true);
      statements.endDeallocation('a');
      expect(statements.isBlocked('a')).toBe(false);
    });
  });
});
