import { LocalCluster } from './local-cluster';

/**
 * `npm run db:up`: starts a primary and two hot standbys, prints their URLs
 * and keeps them until Ctrl-C or SIGTERM; an error stops whatever started.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const cluster = await LocalCluster.start();
  console.log(`Local PostgreSQL cluster up in ${Date.now() - startedAt} ms (folder ${cluster.baseDir}):`);
  for (const [name, url] of Object.entries(cluster.urls)) console.log(`${name}=${url}`);
  console.log('Press Ctrl-C to stop it.');
  // The servers are other processes: without this, Node would see nothing to wait for and exit.
  const keepAlive = setInterval(() => undefined, 60_000);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the cluster...`);
    clearInterval(keepAlive);
    cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
