import type { LocalCluster } from '../cluster/local-cluster';
import type { RedisHandle } from '../redis/resolve-redis';

/** Global setup and teardown run in one process; this is what they share. */
export const TEST_RESOURCES_KEY = '__DB_OPTIMIZER_TEST_RESOURCES__';

export interface TestResources {
  cluster?: LocalCluster;
  redis?: RedisHandle;
}
