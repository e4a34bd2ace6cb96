import { Logger } from '@nestjs/common';
import { LocalCluster } from '@db-optimizer/cluster';

/**
 * The embedded default: when DATABASE_PRIMARY_URL is not set, start a local
 * primary and two hot standbys and point the app's environment at them.
 * Returns the cluster so the caller can stop it; undefined when a URL was set.
 */
export async function startEmbeddedDatabaseIfNeeded(logger: Logger): Promise<LocalCluster | undefined> {
  if (process.env['DATABASE_PRIMARY_URL']) return undefined;
  logger.log('DATABASE_PRIMARY_URL is not set: starting an embedded PostgreSQL primary and two standbys...');
  const startedAt = Date.now();
  const cluster = await LocalCluster.start();
  Object.assign(process.env, cluster.urls);
  logger.log(
    `Embedded cluster up in ${Date.now() - startedAt} ms: primary ${cluster.primary.port}, ` +
      `read replica ${cluster.readReplica.port}, analytics replica ${cluster.analyticsReplica.port} (folder ${cluster.baseDir}). ` +
      'It stops with the app.',
  );
  if (!process.env['REDIS_URL']) logger.log('REDIS_URL is not set: the result cache runs in memory only.');
  return cluster;
}
