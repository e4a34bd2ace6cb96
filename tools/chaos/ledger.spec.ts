import { Ledger } from './ledger';

describe('Ledger', () => {
  describe('#lostWrites', () => {
    it('reports a row whose final value is below its last acknowledged write', () => {
      const ledger = new Ledger();
      ledger.recordAck(1, 5, 0, 100);
      ledger.recordAck(1, 9, 0, 200);
      ledger.recordAck(2, 7, 1, 150);
      expect(ledger.lostWrites(new Map([[1, 5], [2, 7]]))).toEqual([{ row: 1, acked: 9, found: 5 }]);
    });

    it('accepts a later value (a write that failed on the client but committed)', () => {
      const ledger = new Ledger();
      ledger.recordAck(1, 5, 0, 100);
      expect(ledger.lostWrites(new Map([[1, 8]]))).toEqual([]);
    });

    it('reports a row missing from the server', () => {
      const ledger = new Ledger();
      ledger.recordAck(3, 1, 0, 100);
      expect(ledger.lostWrites(new Map())).toEqual([{ row: 3, acked: 1, found: undefined }]);
    });
  });

  describe('#mustSee', () => {
    const ledger = new Ledger();
    ledger.recordAck(1, 10, 0, 1000);
    ledger.recordAck(1, 20, 1, 1050);

    it('asks a read on the writing instance for the write at once', () => {
      expect(ledger.mustSee(1, 1, 1051, 100)).toBe(20);
    });

    it('gives another instance the cross-instance window before it must see the write', () => {
      expect(ledger.mustSee(1, 0, 1100, 100)).toBe(10);
      expect(ledger.mustSee(1, 0, 1151, 100)).toBe(20);
    });

    it('asks nothing of a read that started before any acknowledgement', () => {
      expect(ledger.mustSee(1, 0, 900, 100)).toBeUndefined();
      expect(ledger.mustSee(2, 0, 5000, 100)).toBeUndefined();
    });
  });
});
