import { loadSqlParser } from './parser';
import { qualifiedName, quoteIdent, quoteLiteral, regclassText } from './quote';

describe('quote', () => {
  beforeAll(() => loadSqlParser());

  it('leaves plain lower-case names and unreserved keywords bare', () => {
    expect(quoteIdent('customer_id')).toBe('customer_id');
    expect(quoteIdent('name')).toBe('name');
    expect(qualifiedName('shop', 'orders')).toBe('shop.orders');
  });

  it('quotes reserved words, capitals and odd characters like quote_ident', () => {
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('user')).toBe('"user"');
    expect(quoteIdent('Orders')).toBe('"Orders"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(qualifiedName(undefined, 'my table')).toBe('"my table"');
  });

  it('always quotes names meant for to_regclass and doubles quotes in literals', () => {
    expect(regclassText('shop', 'orders')).toBe('"shop"."orders"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });
});
