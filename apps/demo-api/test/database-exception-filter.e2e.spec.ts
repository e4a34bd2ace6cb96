import { Controller, Get, INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { PoolExhaustedError, QueryRoutingError } from '@db-optimizer/core';
import { testEnv } from '@db-optimizer/cluster';
import { DatabaseExceptionFilter } from '../src/errors/database-exception.filter';

/** Throws what a handler might; the server errors are real ones from the test cluster. */
@Controller('fail')
class FailingController {
  @Get('type-error')
  typeError(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
  }

  @Get('system-error')
  systemError(): never {
    throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' });
  }

  @Get('routing')
  routing(): never {
    throw new QueryRoutingError('"SET search_path" changes session state.');
  }

  @Get('busy')
  busy(): never {
    throw new PoolExhaustedError('primary', 20, 5000);
  }

  @Get('division')
  division(): Promise<unknown> {
    return serverError('SELECT 1 / 0');
  }

  @Get('missing-table')
  missingTable(): Promise<unknown> {
    return serverError('SELECT * FROM no_such_table_here');
  }
}

async function serverError(sql: string): Promise<unknown> {
  const client = new Client({ connectionString: testEnv().primaryUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('DatabaseExceptionFilter (end to end)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [FailingController],
      providers: [{ provide: APP_FILTER, useClass: DatabaseExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app?.close());

  it('answers an internal TypeError with a bare 500, its message kept out of the response', async () => {
    const response = await request(app.getHttpServer()).get('/fail/type-error').expect(500);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  it('does not mistake a system error code for a SQLSTATE', async () => {
    const response = await request(app.getHttpServer()).get('/fail/system-error').expect(500);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  it('maps the library\'s typed errors: misuse to 400, a full pool to 503', async () => {
    expect((await request(app.getHttpServer()).get('/fail/routing').expect(400)).body.message).toMatch(/changes session state/);
    expect((await request(app.getHttpServer()).get('/fail/busy').expect(503)).body.message).toMatch(/primary/);
  });

  it('maps a data exception from the server to 400 with its SQLSTATE', async () => {
    const response = await request(app.getHttpServer()).get('/fail/division').expect(400);
    expect(response.body).toEqual({ statusCode: 400, message: 'division by zero', code: '22012' });
  });

  it('keeps a server error that is the app\'s own fault (undefined table) a 500', async () => {
    const response = await request(app.getHttpServer()).get('/fail/missing-table').expect(500);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});
