import { DEFAULT_SEED_LEADS, demoConfigFromEnv } from './demo-config';

describe('demoConfigFromEnv', () => {
  it('seeds 100k leads and leaves /db open when nothing is set', () => {
    expect(demoConfigFromEnv({})).toEqual({ seedLeads: DEFAULT_SEED_LEADS, adminToken: undefined });
  });

  it('reads DEMO_SEED_LEADS and DB_ADMIN_TOKEN', () => {
    expect(demoConfigFromEnv({ DEMO_SEED_LEADS: '2000', DB_ADMIN_TOKEN: ' s3cret ' })).toEqual({ seedLeads: 2000, adminToken: 's3cret' });
  });

  it.each([['lots'], ['-1'], ['1.5'], ['99999999']])('refuses DEMO_SEED_LEADS=%s, naming the variable', (value) => {
    expect(() => demoConfigFromEnv({ DEMO_SEED_LEADS: value })).toThrow(/DEMO_SEED_LEADS is .* whole number/);
  });
});
