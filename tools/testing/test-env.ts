/** The URLs the Jest global setup hands to every test, read with a clear error when missing. */
export function testEnv(): {
  primaryUrl: string;
  readReplicaUrl: string;
  analyticsUrl: string;
  redisUrl: string;
} {
  return {
    primaryUrl: required('DATABASE_PRIMARY_URL'),
    readReplicaUrl: required('DATABASE_READ_REPLICA_URL'),
    analyticsUrl: required('DATABASE_ANALYTICS_URL'),
    redisUrl: required('REDIS_URL'),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\`, whose global setup provides it.`);
  return value;
}

/** A schema name unique to one test file, so test files never share tables. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
