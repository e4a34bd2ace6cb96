import { LocalCluster } from '../cluster/local-cluster';
import { resolveRedis } from '../redis/resolve-redis';
import { TEST_RESOURCES_KEY, TestResources } from './test-resources';

/**
 * Starts what the tests talk to, once per `jest` run: the local PostgreSQL
 * cluster (unless DATABASE_PRIMARY_URL already points at one) and a Redis.
 * The URLs reach every test worker through process.env.
 */
export default async function globalSetup(): Promise<void> {
  // The root config and each project's config (for `nx test <project>`) name this setup:
  // under the root run it is called more than once in one process, and must set up once.
  if ((globalThis as Record<string, unknown>)[TEST_RESOURCES_KEY]) return;
  const resources: TestResources = {};
  if (!process.env['DATABASE_PRIMARY_URL']) {
    const startedAt = Date.now();
    resources.cluster = await LocalCluster.start();
    Object.assign(process.env, resources.cluster.urls);
    process.env['DB_OPTIMIZER_TEST_CLUSTER_PIDS'] = resources.cluster.nodes.map((node) => node.processId).join(',');
    console.log(`\n[global-setup] PostgreSQL primary + 2 standbys up in ${Date.now() - startedAt} ms`);
  }
  resources.redis = await resolveRedis();
  process.env['REDIS_URL'] = resources.redis.url;
  (globalThis as Record<string, unknown>)[TEST_RESOURCES_KEY] = resources;
}
