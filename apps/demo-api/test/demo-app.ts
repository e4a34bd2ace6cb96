import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module';
import { DEMO_CONFIG, DemoConfig, demoConfigFromEnv } from '../src/config/demo-config';
import { setupOpenApi } from '../src/docs/openapi';

/** The e2e suite seeds a small database: enough rows for every query shape, seeded in about a second. */
export const E2E_SEED_LEADS = 2000;

/** Boots the whole demo app against the test cluster, optionally with other demo settings (e.g. an admin token). */
export async function bootDemoApp(config: Partial<DemoConfig> = {}): Promise<INestApplication> {
  process.env['DEMO_SEED_LEADS'] ??= String(E2E_SEED_LEADS);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(DEMO_CONFIG)
    .useValue({ ...demoConfigFromEnv(), ...config })
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  // As main.ts does.
  setupOpenApi(app);
  await app.init();
  return app;
}

/** A suffix that keeps emails unique across test files and runs sharing one database. */
export function unique(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** A valid new lead; `overrides` replace fields (undefined removes one). */
export function newLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = unique();
  const lead: Record<string, unknown> = {
    fullName: `Test Lead ${id}`,
    email: `lead-${id}@test.example`,
    phone: '+351 912 345 678',
    source: 'website',
    city: 'Lisbon',
    propertyType: 'apartment',
    budgetCents: 35_000_000,
    bedrooms: 2,
    ...overrides,
  };
  for (const key of Object.keys(lead)) if (lead[key] === undefined) delete lead[key];
  return lead;
}
