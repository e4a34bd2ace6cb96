import type { SqlStatement } from '@db-optimizer/core';

/** Statuses a lead moves through; `converted` and `lost` are final. */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export const LEAD_SOURCES = ['website', 'referral', 'portal', 'open_house', 'social'] as const;
export const PROPERTY_TYPES = ['apartment', 'house', 'condo', 'land', 'commercial'] as const;
export const ACTIVITY_KINDS = ['call', 'email', 'viewing', 'note', 'offer', 'conversion'] as const;
export const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Barcelona', 'Berlin', 'Hamburg', 'Paris', 'Lyon', 'Milan', 'Rome', 'Vienna', 'Prague'] as const;

/** Rows the seed gives every empty database, before any lead. */
export const SEED_AGENTS = 40;

const list = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(', ');

/**
 * The demo schema, idempotent (IF NOT EXISTS), run in one transaction under an
 * advisory lock so that several instances starting at once create it once.
 * `leads.city` and `leads.source` have no index on purpose: searches on them
 * are what the index advice and the slow-query panel have to show.
 */
export const SCHEMA_STATEMENTS: SqlStatement[] = [
  ['SELECT pg_advisory_xact_lock(7310015)'],
  [
    `CREATE TABLE IF NOT EXISTS agents (
       id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, region text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now())`,
  ],
  [
    `CREATE TABLE IF NOT EXISTS leads (
       id bigserial PRIMARY KEY,
       agent_id integer REFERENCES agents (id),
       full_name text NOT NULL,
       email text NOT NULL,
       phone text,
       status text NOT NULL DEFAULT 'new' CHECK (status IN (${list(LEAD_STATUSES)})),
       source text NOT NULL CHECK (source IN (${list(LEAD_SOURCES)})),
       city text NOT NULL,
       property_type text NOT NULL CHECK (property_type IN (${list(PROPERTY_TYPES)})),
       budget_cents integer CHECK (budget_cents >= 0),
       bedrooms smallint CHECK (bedrooms BETWEEN 0 AND 20),
       notes text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       converted_at timestamptz)`,
  ],
  ['CREATE UNIQUE INDEX IF NOT EXISTS leads_email_key ON leads (lower(email))'],
  ['CREATE INDEX IF NOT EXISTS leads_agent_status_idx ON leads (agent_id, status)'],
  ['CREATE INDEX IF NOT EXISTS leads_created_idx ON leads (created_at DESC, id DESC)'],
  [
    `CREATE TABLE IF NOT EXISTS activities (
       id bigserial PRIMARY KEY,
       lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
       agent_id integer REFERENCES agents (id),
       kind text NOT NULL CHECK (kind IN (${list(ACTIVITY_KINDS)})),
       notes text,
       created_at timestamptz NOT NULL DEFAULT now())`,
  ],
  ['CREATE INDEX IF NOT EXISTS activities_lead_idx ON activities (lead_id, created_at DESC)'],
  [
    `CREATE TABLE IF NOT EXISTS deals (
       id bigserial PRIMARY KEY,
       lead_id bigint NOT NULL UNIQUE REFERENCES leads (id) ON DELETE CASCADE,
       agent_id integer REFERENCES agents (id),
       amount_cents integer NOT NULL CHECK (amount_cents >= 0),
       created_at timestamptz NOT NULL DEFAULT now())`,
  ],
  // How many leads the seed has written: the seed resumes from here after a restart.
  ['CREATE TABLE IF NOT EXISTS demo_seed (id integer PRIMARY KEY CHECK (id = 1), seeded_leads integer NOT NULL)'],
  ['INSERT INTO demo_seed (id, seeded_leads) VALUES (1, 0) ON CONFLICT (id) DO NOTHING'],
  [
    `INSERT INTO agents (name, email, region)
     SELECT (ARRAY['Alex','Bea','Carlos','Dana','Eli','Fatima','Goran','Hana','Ivo','Julia'])[1 + g % 10] || ' ' ||
            (ARRAY['Silva','Meyer','Rossi','Novak','Dubois','Garcia'])[1 + g % 6],
            'agent' || g || '@realty.example', (ARRAY['north','south','east','west'])[1 + g % 4]
     FROM generate_series(1, ${SEED_AGENTS}) AS g
     WHERE NOT EXISTS (SELECT 1 FROM agents)`,
  ],
];
