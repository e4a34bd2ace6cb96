/**
 * What the profiling tools share: the URLs of a cluster started with `npm run db:up`
 * (exported from what it prints), and running a tool's `main` so a failure exits non-zero.
 */
export function runningClusterUrls(): { primaryUrl: string; replicaUrls: string[] } {
  return { primaryUrl: required('DATABASE_PRIMARY_URL'), replicaUrls: [required('DATABASE_READ_REPLICA_URL')] };
}

/** Runs `main`; prints its error and exits 1 when it fails. */
export function runTool(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start a cluster with \`npm run db:up\` and export the URLs it prints.`);
  return value;
}
