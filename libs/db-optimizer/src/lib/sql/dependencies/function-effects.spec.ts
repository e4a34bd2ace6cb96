import { loadSqlParser } from '../parser';
import { functionEffects } from './function-effects';
import type { FunctionDefinition } from './function-effects';

/** A function as pg_get_functiondef() prints it. */
function plpgsql(body: string, overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
  return {
    schema: 'app',
    name: 'trg',
    volatility: 'v',
    kind: 'f',
    language: 'plpgsql',
    source: body,
    definition: `CREATE OR REPLACE FUNCTION app.trg()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$${body}$function$\n`,
    fromExtension: false,
    ...overrides,
  };
}

describe('functionEffects', () => {
  beforeAll(() => loadSqlParser());

  it('finds the tables a PL/pgSQL trigger writes, in every branch and loop', () => {
    const body = `
DECLARE n int := app.counter();
BEGIN
  INSERT INTO audit_log (op) VALUES (TG_OP);
  IF NEW.total > 100 THEN
    UPDATE app.stats SET big = big + 1 WHERE id = NEW.id;
  END IF;
  FOR n IN SELECT id FROM items LOOP
    DELETE FROM stale WHERE item_id = n;
  END LOOP;
  n := coalesce(lower(NEW.name), 'x') || helper(n);
  RETURN NEW;
END`;
    const effects = functionEffects(plpgsql(body));
    expect(effects.unknown).toBeUndefined();
    expect(effects.writes).toEqual([
      { ref: { name: 'audit_log' }, events: ['INSERT'] },
      { ref: { schema: 'app', name: 'stats' }, events: ['UPDATE'] },
      { ref: { name: 'stale' }, events: ['DELETE'] },
    ]);
    expect(effects.calls).toEqual(expect.arrayContaining(['app.counter', 'lower', 'helper']));
  });

  it('calls a trigger with dynamic SQL unknown', () => {
    const effects = functionEffects(plpgsql(`BEGIN EXECUTE 'DELETE FROM ' || TG_ARGV[0]; RETURN NULL; END`));
    expect(effects.unknown).toMatch(/dynamic SQL/);
  });

  it('calls a trigger running DDL unknown', () => {
    expect(functionEffects(plpgsql(`BEGIN CREATE TABLE IF NOT EXISTS t (a int); RETURN NULL; END`)).unknown).toMatch(/CreateStmt/);
  });

  it('reads a SQL function body, BEGIN ATOMIC included', () => {
    const plain = functionEffects({ ...plpgsql(''), language: 'sql', source: 'UPDATE counters SET n = n + 1; SELECT 1', definition: null });
    expect(plain.writes).toEqual([{ ref: { name: 'counters' }, events: ['UPDATE'] }]);
    const atomic = functionEffects({
      ...plpgsql(''),
      language: 'sql',
      source: '',
      definition: 'CREATE OR REPLACE FUNCTION app.f(a integer)\n RETURNS void\n LANGUAGE sql\nBEGIN ATOMIC\n INSERT INTO t (a) VALUES (f.a);\nEND',
    });
    expect(atomic.writes).toEqual([{ ref: { name: 't' }, events: ['INSERT'] }]);
  });

  it('trusts built-ins, functions that are not VOLATILE, and extension C code', () => {
    expect(functionEffects({ ...plpgsql(''), schema: 'pg_catalog', language: 'internal' })).toEqual({ writes: [], calls: [] });
    expect(functionEffects({ ...plpgsql(''), volatility: 's', language: 'c' })).toEqual({ writes: [], calls: [] });
    expect(functionEffects({ ...plpgsql(''), language: 'c', fromExtension: true })).toEqual({ writes: [], calls: [] });
  });

  it('calls other VOLATILE code unknown', () => {
    expect(functionEffects({ ...plpgsql(''), language: 'plpython3u' }).unknown).toBe('app.trg() is VOLATILE plpython3u code');
  });
});
