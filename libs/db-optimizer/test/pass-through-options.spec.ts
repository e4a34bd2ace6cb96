import { Registry } from 'prom-client';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from './support/test-module';

describe('options passed through to pg and prom-client', () => {
  const env = testEnv();
  const schema = uniqueSchema('passthrough');
  const booted: TestInstance[] = [];
  const start = async (...args: Parameters<typeof startInstance>) => {
    const instance = await startInstance(...args);
    booted.push(instance);
    return instance;
  };

  afterEach(async () => {
    for (const instance of booted.splice(0)) await instance.close();
  });

  describe('poolConfig', () => {
    it('reaches every connection, with the role\'s own settings over the shared ones', async () => {
      const instance = await start({
        primaryUrl: env.primaryUrl,
        readReplicaUrls: [env.readReplicaUrl],
        primaryPool: { min: 1, max: 2 },
        readReplicaPool: { min: 1, max: 2, poolConfig: { application_name: `${schema}_replica` } },
        poolConfig: { application_name: `${schema}_shared`, keepAlive: true },
      });
      const nameOn = async (forcePrimary: boolean) =>
        (await instance.db.executeOptimizedQuery<{ name: string }>("SELECT current_setting('application_name') AS name", [], { forcePrimary, useCache: false }))
          .rows[0].name;
      expect(await nameOn(true)).toBe(`${schema}_shared`);
      expect(await nameOn(false)).toBe(`${schema}_replica`);
    });

    it('connects with a password function (IAM tokens), keeping the URL\'s user and database', async () => {
      // The test cluster trusts local connections, so the server never calls for the password:
      // this checks the URL is still honoured once pg no longer takes it as a connection string.
      const instance = await start({
        primaryUrl: env.primaryUrl,
        primaryPool: { min: 1, max: 1 },
        poolConfig: { password: async () => 'token-from-the-cloud-provider' },
      });
      const { rows } = await instance.db.executeOptimizedQuery<{ db: string; usr: string; port: number }>(
        "SELECT current_database() AS db, current_user AS usr, current_setting('port')::int AS port",
        [],
        { useCache: false },
      );
      const url = new URL(env.primaryUrl);
      expect(rows).toEqual([{ db: url.pathname.slice(1) || url.username, usr: decodeURIComponent(url.username), port: Number(url.port) }]);
    });
  });

  describe('prometheusRegistry', () => {
    it('registers the module\'s metrics in the app\'s registry', async () => {
      const registry = new Registry();
      const instance = await start({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 }, prometheusRegistry: registry });
      await instance.db.executeOptimizedQuery('SELECT 1 AS one');
      expect(instance.db.metricsRegistry).toBe(registry);
      expect(await registry.metrics()).toMatch(/^db_optimizer_queries_total\{.*\} 1$/m);
    });

    it('says which option to change when two instances share one registry', async () => {
      const registry = new Registry();
      await start({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 }, prometheusRegistry: registry });
      await expect(start({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 }, prometheusRegistry: registry })).rejects.toThrow(
        /prometheusRegistry given already holds the module's metrics/,
      );
    });
  });
});
