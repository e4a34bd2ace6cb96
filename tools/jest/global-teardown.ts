import { TEST_RESOURCES_KEY, TestResources } from './test-resources';

/**
 * Stops what global-setup started. `LocalCluster.stop()` throws when a server
 * process outlives it, so a leaked PostgreSQL fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  const resources = (globalThis as Record<string, unknown>)[TEST_RESOURCES_KEY] as TestResources | undefined;
  if (!resources) return;
  delete (globalThis as Record<string, unknown>)[TEST_RESOURCES_KEY];
  await resources.redis?.stop();
  await resources.cluster?.stop();
}
