import { SeenTexts } from './seen-texts';
import { statementName } from './statement-name';

const SQL = 'SELECT * FROM t WHERE id = $1';

describe('SeenTexts', () => {
  describe('#sight', () => {
    it('qualifies a text on its first repeat with threshold 1', () => {
      const seen = new SeenTexts(1, 100);
      expect(seen.sight(SQL)).toBeUndefined();
      expect(seen.sight(SQL)).toBe(statementName(SQL));
      expect(seen.sight(SQL)).toBe(statementName(SQL));
    });

    it('qualifies a text at once with threshold 0', () => {
      expect(new SeenTexts(0, 100).sight(SQL)).toBe(statementName(SQL));
    });

    it('waits for three prior sightings with threshold 3', () => {
      const seen = new SeenTexts(3, 100);
      const results = [1, 2, 3, 4, 5].map(() => seen.sight(SQL));
      expect(results).toEqual([undefined, undefined, undefined, statementName(SQL), statementName(SQL)]);
    });

    it('counts each text on its own', () => {
      const seen = new SeenTexts(1, 100);
      seen.sight('SELECT $1');
      expect(seen.sight('SELECT $2')).toBeUndefined();
      expect(seen.sight('SELECT $1')).toBe(statementName('SELECT $1'));
    });

    it('forgets the least recently seen text when full, which then counts again', () => {
      const seen = new SeenTexts(1, 2);
      seen.sight('SELECT $1');
      seen.sight('SELECT $2');
      seen.sight('SELECT $3');
      expect(seen.size).toBe(2);
      expect(seen.sight('SELECT $1')).toBeUndefined();
    });
  });
});
