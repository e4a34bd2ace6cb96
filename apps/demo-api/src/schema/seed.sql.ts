import { CITIES, SEED_AGENTS } from './schema.sql';

const array = (values: readonly string[]): string => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;
const FIRST_NAMES = ['Ana', 'Bruno', 'Chloe', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Klara', 'Luca', 'Mia', 'Nils', 'Olivia', 'Pavel', 'Rosa', 'Sami', 'Tara', 'Yuri'];
const LAST_NAMES = ['Almeida', 'Becker', 'Costa', 'Dvorak', 'Esposito', 'Fischer', 'Gomez', 'Horvat', 'Ivanova', 'Jensen', 'Kowalski', 'Lopez', 'Martin', 'Nowak', 'Oliveira', 'Petit'];

/**
 * One seed batch: leads `$1 + 1 .. $2` of the series, with one to three
 * activities each, in one statement. Values come from the series number with
 * fixed multipliers, so every run seeds the same realistic-looking data
 * (a few busy agents, conversion rates by agent, two years of history,
 * budgets from 50k to 1.5M).
 */
export const SEED_BATCH_SQL = `
WITH inserted AS (
  INSERT INTO leads (agent_id, full_name, email, phone, status, source, city, property_type, budget_cents, bedrooms, created_at, updated_at, converted_at)
  SELECT v.agent,
         (${array(FIRST_NAMES)})[1 + g % ${FIRST_NAMES.length}] || ' ' || (${array(LAST_NAMES)})[1 + ((g / 7) % ${LAST_NAMES.length})::int],
         'lead' || g || '@mail.example',
         '+351 9' || lpad(((g::bigint * 104729) % 100000000)::text, 8, '0'),
         CASE WHEN v.s < 35 THEN 'new' WHEN v.s < 55 THEN 'contacted' WHEN v.s < 70 THEN 'qualified'
              WHEN v.s < 70 + v.skill THEN 'converted' ELSE 'lost' END,
         (ARRAY['website','referral','portal','open_house','social'])[1 + ((g::bigint * 13) % 5)::int],
         (${array(CITIES)})[1 + ((g::bigint * 17) % ${CITIES.length})::int],
         (ARRAY['apartment','house','condo','land','commercial'])[1 + ((g::bigint * 11) % 5)::int],
         5000000 + ((g::bigint * 7907) % 145000000)::int,
         (g * 5) % 6,
         v.created, least(v.created + interval '1 day', now()),
         CASE WHEN v.s >= 70 AND v.s < 70 + v.skill THEN least(v.created + interval '20 days', now()) END
  FROM generate_series($1::int + 1, $2::int) AS g,
       -- agent: squared, so the first agents hold many more leads than the last; skill: each agent's share of conversions (5 to 19%).
       LATERAL (SELECT 1 + floor(((g::bigint * 7919) % 1000) ^ 2 / ${1_000_000 / SEED_AGENTS})::int AS agent) AS a,
       LATERAL (SELECT a.agent, 5 + (a.agent * 7) % 15 AS skill, ((g::bigint * 37) % 100)::int AS s,
                       now() - ((g::bigint * 7) % 730)::int * interval '1 day' - (g % 86400) * interval '1 second' AS created) AS v
  RETURNING id, agent_id, created_at)
INSERT INTO activities (lead_id, agent_id, kind, notes, created_at)
SELECT i.id, i.agent_id, (ARRAY['call','email','viewing','note','offer'])[1 + ((i.id + n) % 5)::int], 'Seeded activity ' || n, least(i.created_at + n * interval '2 days', now())
FROM inserted AS i, generate_series(1, 1 + (i.id % 3)::int) AS n`;
