import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bootDemoApp, newLead, unique } from './demo-app';

const TOKEN = /^[0-9A-F]+\/[0-9A-F]+$/;

// The library's ReadYourWritesInterceptor, registered in app.module.ts: no handler passes
// a session key or token, yet every query of a request (executeOptimizedQuery and Kysely
// on the routing pool alike) honours the caller's headers.
describe('read-your-writes through the demo API (end to end)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await bootDemoApp();
  });

  afterAll(() => app?.close());

  it("returns the write's token and lets the same session read the new row at once, by id and by search", async () => {
    const session = `ryw-${unique()}`;
    const tag = `Ryw${unique().replace(/[^a-z0-9]/gi, '')}`;
    const created = await http().post('/leads').set('x-session-key', session).send(newLead({ fullName: `Lamp ${tag}` })).expect(201);
    expect(created.headers['x-consistency-token']).toMatch(TOKEN);

    const read = await http().get(`/leads/${created.body.data.id}`).set('x-session-key', session).expect(200);
    expect(read.body.data.fullName).toBe(`Lamp ${tag}`);
    // A plain read sends no token back: nothing was written.
    expect(read.headers['x-consistency-token']).toBeUndefined();

    // The search runs through Kysely: the request context reaches it too.
    const found = await http().get(`/leads?q=${tag}`).set('x-session-key', session).expect(200);
    expect(found.body.data.map((lead: { id: string }) => lead.id)).toEqual([created.body.data.id]);
  });

  it('lets another client read the write with only its token (as another instance would)', async () => {
    const tag = `Tok${unique().replace(/[^a-z0-9]/gi, '')}`;
    const created = await http().post('/leads').send(newLead({ fullName: `Desk ${tag}` })).expect(201);
    const token = created.headers['x-consistency-token'];
    expect(token).toMatch(TOKEN);
    const found = await http().get(`/leads?q=${tag}`).set('x-consistency-token', token).expect(200);
    expect(found.body.data.map((lead: { fullName: string }) => lead.fullName)).toEqual([`Desk ${tag}`]);
  });

  it('hands back the token of a transaction (conversion) and of an atomic batch (import)', async () => {
    const session = `ryw-${unique()}`;
    const { body } = await http().post('/leads').set('x-session-key', session).send(newLead({ agentId: 3 })).expect(201);
    const converted = await http().post(`/leads/${body.data.id}/convert`).set('x-session-key', session).send({ amountCents: 100 }).expect(200);
    expect(converted.headers['x-consistency-token']).toMatch(TOKEN);
    const imported = await http().post('/leads/import').set('x-session-key', session).send({ leads: [newLead(), newLead()] }).expect(201);
    expect(imported.headers['x-consistency-token']).toMatch(TOKEN);
  });
});
