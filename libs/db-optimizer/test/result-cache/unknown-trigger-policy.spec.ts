import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

// Memory-only instances (no Redis): each hears only its own writes, so the two policies do not mix.
describe('cacheUnknownTriggerPolicy: a write reaching a trigger with dynamic SQL', () => {
  const schema = uniqueSchema('rc_unknown');
  const fixture = replicatedSchema(
    schema,
    `CREATE TABLE other (id int PRIMARY KEY, v int);
       INSERT INTO other VALUES (1, 1);
       CREATE TABLE dyn (id int PRIMARY KEY);
       CREATE TABLE dyn_log (id int);
       CREATE FUNCTION dyn_log() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN EXECUTE format('INSERT INTO %I.dyn_log VALUES ($1)', TG_TABLE_SCHEMA) USING NEW.id; RETURN NEW; END $$;
       CREATE TRIGGER dyn_log AFTER INSERT ON dyn FOR EACH ROW EXECUTE FUNCTION dyn_log();`,
  );
  const flushing = fixture.bootInstance(() => cacheOptions({ redisUrl: undefined }));
  const ignoring = fixture.bootInstance(() => cacheOptions({ redisUrl: undefined, cacheUnknownTriggerPolicy: 'ignore' }));

  it.each([
    ['flush_all (the default) drops every cached result', flushing, 1, false],
    ['ignore keeps cached results of tables it cannot see written', ignoring, 2, 'memory'],
  ])('%s', async (_policy, instance, id, levelAfterWrite) => {
    const read = () => instance.db.executeOptimizedQuery(`SELECT v FROM ${schema}.other WHERE id = $1`, [1]);
    await read();
    expect(levelOf(await read())).toBe('memory');

    await instance.db.executeOptimizedQuery(`INSERT INTO ${schema}.dyn VALUES ($1)`, [id]);

    expect(levelOf(await read())).toBe(levelAfterWrite);
  });
});
