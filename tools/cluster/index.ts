export { LocalCluster } from './local-cluster';
export type { ClusterUrls, LocalClusterOptions } from './local-cluster';
export { PgNode } from './pg-node';
export { resolveRedis, spawnRedis } from '../redis/resolve-redis';
export type { RedisHandle } from '../redis/resolve-redis';
export { waitFor } from '../testing/wait-for';
export { testEnv, uniqueSchema } from '../testing/test-env';
export { findFreePort } from './free-port';
