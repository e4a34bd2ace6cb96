import { fingerprintSql, isSqlParserLoaded, loadSqlParser, maskLiterals, normalizeSql, parseSql } from './parser';

describe('parser', () => {
  beforeAll(async () => {
    await loadSqlParser();
  });

  describe('#loadSqlParser', () => {
    it('loads once and shares the load between callers', async () => {
      expect(loadSqlParser()).toBe(loadSqlParser());
      await loadSqlParser();
      expect(isSqlParserLoaded()).toBe(true);
    });

    it('makes the helpers throw a clear error until it has resolved', async () => {
      await jest.isolateModulesAsync(async () => {
        const fresh = require('./parser') as typeof import('./parser');
        expect(fresh.isSqlParserLoaded()).toBe(false);
        expect(() => fresh.parseSql('SELECT 1')).toThrow(/await loadSqlParser\(\)/);
        expect(() => fresh.normalizeSql('SELECT 1')).toThrow(/await loadSqlParser\(\)/);
        // The fresh libpg-query copy compiles its WebAssembly as soon as it is required: let it finish.
        await fresh.loadSqlParser();
        expect(fresh.parseSql('SELECT 1').stmts).toHaveLength(1);
      });
    });
  });

  describe('#parseSql', () => {
    it('throws the parser error for bad SQL', () => {
      expect(() => parseSql('SELEC 1')).toThrow('syntax error at or near "SELEC"');
    });
  });

  describe('#fingerprintSql', () => {
    it('returns undefined when libpg-query answers with error text instead of a fingerprint', () => {
      // libpg-query returns "Invalid input: ..." here rather than throwing.
      expect(fingerprintSql('')).toBeUndefined();
      expect(fingerprintSql('SELEC 1')).toBeUndefined();
      expect(fingerprintSql('SELECT 1')).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  describe('#normalizeSql', () => {
    it('returns undefined when libpg-query answers with error text or throws', () => {
      expect(normalizeSql('')).toBeUndefined();
      expect(normalizeSql('SELEC 1')).toBeUndefined();
    });

    it('keeps the layout of a text without comments or leftover literals', () => {
      expect(normalizeSql("SELECT a\n  FROM t\n WHERE b = 'x'")).toBe('SELECT a\n  FROM t\n WHERE b = $1');
    });

    it('drops comments and masks the literals normalizeSync leaves', () => {
      expect(normalizeSql("/* trace=1 */ EXECUTE q('x', $1) -- done")).toBe('EXECUTE q($2, $1)');
    });

    it('leaves what normalizeSync keeps when told the text is plain DML, but still drops comments', () => {
      expect(normalizeSql('SELECT a::numeric(10,2) FROM t ORDER BY 1 LIMIT 5', { maskLeftoverLiterals: false })).toBe(
        'SELECT a::numeric(10,2) FROM t ORDER BY 1 LIMIT $1',
      );
      expect(normalizeSql("SELECT 'x' -- user=alice", { maskLeftoverLiterals: false })).toBe('SELECT $1');
    });
  });

  describe('#maskLiterals', () => {
    it('masks every kind of literal in text that does not parse', () => {
      expect(maskLiterals("SELEC 'a', E'b', U&'c', B'01', X'ff', $$d$$, 1, 2.5 FROM t")).toBe('SELEC $1, $2, $3, $4, $5, $6, $7, $8 FROM t');
    });

    it('handles multi-byte characters (the scanner counts bytes)', () => {
      expect(maskLiterals('SELEC \'héllo\' /* é */ , "ü" FROM t')).toBe('SELEC $1 , "ü" FROM t');
    });

    it('returns an empty text when the scanner rejects the text', () => {
      expect(maskLiterals("SELECT 'unterminated")).toBe('');
    });
  });
});
