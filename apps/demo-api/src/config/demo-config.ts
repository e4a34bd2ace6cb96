/** The demo's own settings (the module's come from `dbOptimizerOptionsFromEnv`). */
export interface DemoConfig {
  /** Leads seeded into an empty database on start. @default 100000 */
  seedLeads: number;
  /** When set, `/db/*` and the dashboard's data need it (`authorization: Bearer …` or `x-admin-token`). */
  adminToken: string | undefined;
}

export const DEMO_CONFIG = 'DEMO:CONFIG';

export const DEFAULT_SEED_LEADS = 100_000;
// Enough for a real demo; a larger number only makes the first start slow.
const MAX_SEED_LEADS = 5_000_000;

/** Reads DEMO_SEED_LEADS and DB_ADMIN_TOKEN; a bad value throws, naming the variable and what it expects. */
export function demoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const raw = env['DEMO_SEED_LEADS']?.trim();
  const seedLeads = raw ? Number(raw) : DEFAULT_SEED_LEADS;
  if (!Number.isInteger(seedLeads) || seedLeads < 0 || seedLeads > MAX_SEED_LEADS) {
    throw new Error(`DEMO_SEED_LEADS is "${raw}": set it to a whole number of leads from 0 to ${MAX_SEED_LEADS} (default ${DEFAULT_SEED_LEADS}).`);
  }
  const token = env['DB_ADMIN_TOKEN']?.trim();
  return { seedLeads, adminToken: token ? token : undefined };
}
