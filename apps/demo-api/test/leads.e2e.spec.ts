import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { MetricsService, type PoolRole } from '@db-optimizer/core';
import { bootDemoApp, newLead, unique } from './demo-app';
import { waitFor } from '@db-optimizer/cluster';

const TOKEN = /^[0-9A-F]+\/[0-9A-F]+$/;

describe('leads API (end to end, real cluster)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  /** Calls per pool of the statements whose normalized text matches `pattern` (this app's metrics). */
  function poolsUsed(pattern: RegExp): Record<PoolRole, number> {
    const totals: Record<PoolRole, number> = { primary: 0, read_replica: 0, analytics: 0 };
    for (const entry of app.get(MetricsService).getFingerprintStats({ limit: 1000 })) {
      if (!pattern.test(entry.normalizedSql)) continue;
      for (const role of Object.keys(totals) as PoolRole[]) totals[role] += entry.pools[role] ?? 0;
    }
    return totals;
  }

  describe('CRUD', () => {
    it('creates a lead on the primary, hands back a consistency token, and the same session reads it at once', async () => {
      const session = `agent-${unique()}`;
      const created = await http().post('/leads').set('x-session-key', session).send(newLead({ fullName: 'Rita Moreira' })).expect(201);
      expect(created.body.data).toMatchObject({ fullName: 'Rita Moreira', status: 'new', city: 'Lisbon', bedrooms: 2 });
      expect(created.body.metadata.poolUsed).toBe('primary');
      expect(created.headers['x-consistency-token']).toMatch(TOKEN);
      const read = await http().get(`/leads/${created.body.data.id}`).set('x-session-key', session).expect(200);
      expect(read.body.data.fullName).toBe('Rita Moreira');
      // Another client reads it too, carrying the writer's token instead of its session.
      const other = await http().get(`/leads/${created.body.data.id}`).set('x-consistency-token', created.headers['x-consistency-token']).expect(200);
      expect(other.body.data.id).toBe(created.body.data.id);
    });

    it('updates only the fields sent, and deletes', async () => {
      const session = unique();
      const { body } = await http().post('/leads').set('x-session-key', session).send(newLead()).expect(201);
      const patched = await http().patch(`/leads/${body.data.id}`).set('x-session-key', session).send({ status: 'qualified', budgetCents: 1000 }).expect(200);
      expect(patched.body.data).toMatchObject({ status: 'qualified', budgetCents: 1000, city: 'Lisbon' });
      expect(patched.headers['x-consistency-token']).toMatch(TOKEN);
      const deleted = await http().delete(`/leads/${body.data.id}`).set('x-session-key', session).expect(200);
      expect(deleted.body.data).toEqual({ id: body.data.id, deleted: true });
      await http().get(`/leads/${body.data.id}`).set('x-session-key', session).expect(404);
    });

    it.each([
      ['a missing fullName', { fullName: undefined }, 'fullName'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an unknown source', { source: 'billboard' }, 'source'],
      ['a fractional budget', { budgetCents: 10.5 }, 'budgetCents'],
      ['too many bedrooms', { bedrooms: 99 }, 'bedrooms'],
      ['a status only conversion may set', { status: 'converted' }, 'status'],
      ['a misspelt field', { agentID: 3 }, 'agentID'],
    ])('answers 400 naming the field for %s', async (_case, overrides, field) => {
      const response = await http().post('/leads').send(newLead(overrides)).expect(400);
      expect(response.body.field).toBe(field);
      expect(response.body.message).toContain(`${field} must be`);
    });

    it('answers 409 for a second lead with the same email, whatever its case', async () => {
      const lead = newLead();
      await http().post('/leads').send(lead).expect(201);
      await http()
        .post('/leads')
        .send({ ...lead, email: String(lead['email']).toUpperCase() })
        .expect(409);
    });

    it('answers 400 for a malformed id, 404 for a missing lead, 400 for an empty patch', async () => {
      expect((await http().get('/leads/abc').expect(400)).body.field).toBe('id');
      await http().get('/leads/999999999').expect(404);
      await http().patch('/leads/999999999').send({ city: 'Rome' }).expect(404);
      expect((await http().patch('/leads/1').send({}).expect(400)).body.field).toBe('the body');
    });
  });

  describe('GET /leads (search)', () => {
    it('filters, sorts and pages', async () => {
      const first = await http().get('/leads?city=Porto&status=new&pageSize=5').expect(200);
      expect(first.body.data).toHaveLength(5);
      expect(first.body.hasMore).toBe(true);
      for (const lead of first.body.data) expect(lead).toMatchObject({ city: 'Porto', status: 'new' });
      const dates = first.body.data.map((lead: { createdAt: string }) => lead.createdAt);
      expect([...dates].sort().reverse()).toEqual(dates);
      const second = await http().get('/leads?city=Porto&status=new&pageSize=5&page=2').expect(200);
      const firstIds = new Set(first.body.data.map((lead: { id: string }) => lead.id));
      expect(second.body.data.some((lead: { id: string }) => firstIds.has(lead.id))).toBe(false);
      const byBudget = await http().get('/leads?sort=budget_desc&minBudgetCents=100000000&pageSize=10').expect(200);
      const budgets = byBudget.body.data.map((lead: { budgetCents: number }) => lead.budgetCents);
      expect(budgets.every((budget: number) => budget >= 100_000_000)).toBe(true);
      expect([...budgets].sort((a, b) => b - a)).toEqual(budgets);
    });

    it('runs through Kysely on the routing pool: the search reads go to a replica', async () => {
      const pattern = /^select "id", .* from "leads" where "city" = \$1 and "property_type" = \$2 order by/;
      // Other test files pause replay on the shared standbys now and then, and a lagging replica gets no reads
      // (the primary serves them, as it should): ask again until a replica has answered both pages.
      // A new page each time: a page already cached would not reach any server again.
      let page = 0;
      await waitFor(
        async () => {
          await http().get(`/leads?city=Madrid&propertyType=house&pageSize=3&page=${++page}`).expect(200);
          await http().get(`/leads?city=Madrid&propertyType=house&pageSize=3&page=${++page}`).expect(200);
          return (poolsUsed(pattern).read_replica ?? 0) >= 2;
        },
        { what: 'two search reads served by a replica', timeoutMs: 30_000, intervalMs: 200 },
      );
    });

    it('finds by part of the name, any case, and treats % and _ as plain characters', async () => {
      const session = unique();
      const tag = `Zq${unique().replace(/[^a-z0-9]/gi, '')}`;
      await http().post('/leads').set('x-session-key', session).send(newLead({ fullName: `Ines ${tag}` })).expect(201);
      const found = await http().get(`/leads?q=${tag.toLowerCase()}`).set('x-session-key', session).expect(200);
      expect(found.body.data.map((lead: { fullName: string }) => lead.fullName)).toEqual([`Ines ${tag}`]);
      const wildcard = await http().get('/leads?q=%25%25').expect(200);
      expect(wildcard.body.data).toEqual([]);
    });

    it.each([
      ['status=open', 'status'],
      ['page=0', 'page'],
      ['pageSize=1000', 'pageSize'],
      ['minBudgetCents=10&maxBudgetCents=5', 'maxBudgetCents'],
      ['sort=random', 'sort'],
      ['colour=red', 'colour'],
    ])('answers 400 for ?%s naming %s', async (query, field) => {
      expect((await http().get(`/leads?${query}`).expect(400)).body.field).toBe(field);
    });
  });

  describe('POST /leads/import (batch)', () => {
    it('imports every row in one atomic batch', async () => {
      const session = unique();
      const leads = Array.from({ length: 250 }, () => newLead({ city: 'Vienna' }));
      const response = await http().post('/leads/import').set('x-session-key', session).send({ leads }).expect(201);
      expect(response.body.data.imported).toBe(250);
      expect(response.body.metadata.statements).toBe(2);
      expect(response.headers['x-consistency-token']).toMatch(TOKEN);
      const last = await http().get(`/leads/${response.body.data.ids[249]}`).set('x-session-key', session).expect(200);
      expect(last.body.data.email).toBe(leads[249]['email']);
    });

    it('names the bad row and field, and saves nothing when one row conflicts', async () => {
      const bad = await http()
        .post('/leads/import')
        .send({ leads: [newLead(), newLead({ email: 'nope' })] })
        .expect(400);
      expect(bad.body.field).toBe('leads[1].email');
      const tag = `Imp${unique().replace(/[^a-z0-9]/gi, '')}`;
      const duplicate = newLead({ fullName: `Dup ${tag}` });
      await http().post('/leads/import').send({ leads: [duplicate, newLead({ fullName: `Other ${tag}` }), duplicate] }).expect(409);
      const found = await http().get(`/leads?q=${tag}`).expect(200);
      expect(found.body.data).toEqual([]);
      expect((await http().post('/leads/import').send({ leads: [] }).expect(400)).body.field).toBe('leads');
    });
  });

  describe('POST /leads/:id/convert (transaction with a savepoint)', () => {
    it('converts, records the deal and the activity, and keeps the agent when the new one does not exist', async () => {
      const session = unique();
      const { body } = await http().post('/leads').set('x-session-key', session).send(newLead({ agentId: 2 })).expect(201);
      const converted = await http().post(`/leads/${body.data.id}/convert`).set('x-session-key', session).send({ amountCents: 42_000_000, agentId: 999_999, note: 'signed' }).expect(200);
      expect(converted.body.data.lead).toMatchObject({ status: 'converted', agentId: 2 });
      expect(converted.body.data.lead.convertedAt).not.toBeNull();
      expect(converted.body.data.deal).toMatchObject({ leadId: body.data.id, agentId: 2, amountCents: 42_000_000 });
      expect(converted.body.data.warnings).toEqual(['Agent 999999 does not exist: the lead stays with its current agent.']);
      expect(converted.body.metadata.poolUsed).toBe('primary');
      const activities = await http().get(`/leads/${body.data.id}/activities`).set('x-session-key', session).expect(200);
      expect(activities.body.data[0]).toMatchObject({ kind: 'conversion', notes: 'signed', agentId: 2 });
      // Converted once only.
      await http().post(`/leads/${body.data.id}/convert`).send({ amountCents: 1 }).expect(409);
    });

    it('hands the lead to an existing agent inside the transaction', async () => {
      const session = unique();
      const { body } = await http().post('/leads').set('x-session-key', session).send(newLead({ agentId: 2 })).expect(201);
      const converted = await http().post(`/leads/${body.data.id}/convert`).set('x-session-key', session).send({ amountCents: 5, agentId: 7 }).expect(200);
      expect(converted.body.data.lead.agentId).toBe(7);
      expect(converted.body.data.deal.agentId).toBe(7);
      expect(converted.body.data.warnings).toEqual([]);
    });

    it('answers 404 for a missing lead and 400 naming a bad amount', async () => {
      await http().post('/leads/999999999/convert').send({ amountCents: 1 }).expect(404);
      expect((await http().post('/leads/1/convert').send({ amountCents: -5 }).expect(400)).body.field).toBe('amountCents');
    });
  });

  describe('activities', () => {
    it('adds an activity and lists the latest first', async () => {
      const session = unique();
      const { body } = await http().post('/leads').set('x-session-key', session).send(newLead()).expect(201);
      await http().post(`/leads/${body.data.id}/activities`).set('x-session-key', session).send({ kind: 'call', notes: 'first call' }).expect(201);
      await http().post(`/leads/${body.data.id}/activities`).set('x-session-key', session).send({ kind: 'viewing' }).expect(201);
      const list = await http().get(`/leads/${body.data.id}/activities?limit=5`).set('x-session-key', session).expect(200);
      expect(list.body.data.map((activity: { kind: string }) => activity.kind)).toEqual(['viewing', 'call']);
    });

    it('answers 400 for an unknown kind and 404 for a missing lead', async () => {
      expect((await http().post('/leads/1/activities').send({ kind: 'conversion' }).expect(400)).body.field).toBe('kind');
      await http().post('/leads/999999999/activities').send({ kind: 'call' }).expect(404);
      await http().get('/leads/999999999/activities').expect(404);
      expect((await http().get('/leads/1/activities?limit=0').expect(400)).body.field).toBe('limit');
    });
  });
});
