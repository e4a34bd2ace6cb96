import { Body, Controller, Get, INestApplication, Param, ParseIntPipe, Post } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Generated, Kysely, PostgresDialect } from 'kysely';
import request from 'supertest';
import { DbOptimizerModule, DbOptimizerService, ReadYourWritesInterceptor, ReplicaLagMonitor } from '@db-optimizer/core';
import { LocalCluster } from '@db-optimizer/cluster';
import { sql, waitForReplay } from '../support/test-module';

interface Database {
  notes: { id: Generated<number>; body: string };
}

/** A feature written as an app would: Kysely on the module's pool, no consistency plumbing at all. */
@Controller('notes')
class NotesController {
  private readonly db: Kysely<Database>;

  constructor(dbOptimizer: DbOptimizerService) {
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dbOptimizer.pool }) });
  }

  @Post()
  async create(@Body() body: { body: string }): Promise<{ id: number }> {
    return this.db.insertInto('notes').values({ body: body.body }).returning('id').executeTakeFirstOrThrow();
  }

  @Get(':id')
  async read(@Param('id', ParseIntPipe) id: number): Promise<{ body: string | null }> {
    const row = await this.db.selectFrom('notes').select('body').where('id', '=', id).executeTakeFirst();
    return { body: row?.body ?? null };
  }

  /** Writes, then reads the row back in the same request. */
  @Post('echo')
  async echo(@Body() body: { body: string }): Promise<{ body: string | null }> {
    const { id } = await this.create(body);
    return this.read(id);
  }
}

// Pausing replay would disturb other test files, so this file has its own cluster.
describe('read-your-writes per request (interceptor, Kysely, replay paused on the standby)', () => {
  let cluster: LocalCluster;
  let app: INestApplication;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    const { primary, readReplica, analyticsReplica } = cluster;
    await sql(primary.url, 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
    await waitForReplay(primary.url, [readReplica.url]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        DbOptimizerModule.forRoot({
          primaryUrl: primary.url,
          readReplicaUrls: [readReplica.url],
          analyticsReplicaUrl: analyticsReplica.url,
          // Off: a cached read already asks for the newest write on its tables; this file checks routing alone.
          enableCache: false,
          poolResizeIntervalMs: 0,
          // The test drives lag checks itself, and the paused standby must stay in use.
          replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
        }),
      ],
      controllers: [NotesController],
      providers: [{ provide: APP_INTERCEPTOR, useFactory: () => new ReadYourWritesInterceptor() }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await sql(readReplica.url, 'SELECT pg_wal_replay_pause()');
  });

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await app?.close();
    await cluster?.stop();
  });

  it('lets a session read its write on its next request, and hands out the token', async () => {
    const created = await request(app.getHttpServer()).post('/notes').set('x-session-key', 'alice').send({ body: 'mine' }).expect(201);
    const token = created.headers['x-consistency-token'];
    expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    await app.get(ReplicaLagMonitor).checkNow();
    const id = (created.body as { id: number }).id;

    const own = await request(app.getHttpServer()).get(`/notes/${id}`).set('x-session-key', 'alice').expect(200);
    expect(own.body).toEqual({ body: 'mine' });

    // Anyone holding the token reads it too (e.g. through another instance).
    const withToken = await request(app.getHttpServer()).get(`/notes/${id}`).set('x-consistency-token', token).expect(200);
    expect(withToken.body).toEqual({ body: 'mine' });

    // Without either, the read goes to the paused standby, which has not replayed the row.
    const stranger = await request(app.getHttpServer()).get(`/notes/${id}`).set('x-session-key', 'bob').expect(200);
    expect(stranger.body).toEqual({ body: null });
  });

  it('lets one request read what it wrote, with no headers at all', async () => {
    const echoed = await request(app.getHttpServer()).post('/notes/echo').send({ body: 'echo' }).expect(201);
    expect(echoed.body).toEqual({ body: 'echo' });
    expect(echoed.headers['x-consistency-token']).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });
});
