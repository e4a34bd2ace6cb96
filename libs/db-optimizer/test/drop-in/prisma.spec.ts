import { PrismaPg } from '@prisma/adapter-pg';
import { currentRequestContext, runWithRequestContext } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import type { PrismaClient } from './prisma/generated/client';
import { generatePrismaClient } from './prisma/generate-client';
import { cacheHits, libraryFixture, poolsUsed } from './support/orm-fixture';

/** findUnique({ where: { id } }) on books, as Prisma writes it (the `$3=$4` is a parameter filler of Prisma's). */
const FIND_BOOK_BY_ID = /^select "t0"\."id", "t0"\."author_id" as "authorId", "t0"\."title", "t0"\."published" from .*"books" as "t0" where \("t0"\."id" = \$1 and \$3=\$4\) limit \$2$/i;

describe('Prisma (driver adapter @prisma/adapter-pg) on the routing pool', () => {
  const schema = uniqueSchema('dropin_prisma');
  const instance = libraryFixture(schema);
  let prisma: PrismaClient;

  beforeAll(async () => {
    // The client is generated from ./prisma/schema.prisma for this run (into a git-ignored folder), then loaded.
    generatePrismaClient();
    const { PrismaClient } = await import('./prisma/generated/client');
    // As an app would: the adapter is handed the module's pool; `schema` is where the tables are.
    prisma = new PrismaClient({ adapter: new PrismaPg(instance.db.pool.asPgPool(), { schema }) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  it('creates, reads, updates and deletes rows', async () => {
    const { id } = await prisma.author.create({ data: { name: 'Calvino' } });
    await runWithRequestContext({ sessionKey: 'prisma-crud' }, async () => {
      expect(await prisma.author.findUnique({ where: { id } })).toEqual({ id, name: 'Calvino' });
      expect(await prisma.author.update({ where: { id }, data: { name: 'Italo Calvino' } })).toEqual({ id, name: 'Italo Calvino' });
      expect(await prisma.author.findUnique({ where: { id } })).toEqual({ id, name: 'Italo Calvino' });
      expect(await prisma.author.delete({ where: { id } })).toEqual({ id, name: 'Italo Calvino' });
      expect(await prisma.author.findUnique({ where: { id } })).toBeNull();
    });
  });

  it('sends reads to a replica and writes to the primary', async () => {
    await prisma.book.findUnique({ where: { id: 2 }, select: { title: true } });
    await prisma.book.updateMany({ where: { id: 2 }, data: { title: 'Ficciones' } });
    const reads = poolsUsed(instance, /^select "t0"\."id", "t0"\."title" from .*"books" as "t0" where \("t0"\."id" = \$1 and \$3=\$4\) limit \$2$/i);
    const writes = poolsUsed(instance, /^update .*"books" set "title" = \$1 where .*"books"\."id" = \$2$/i);
    expect(reads.read_replica).toBeGreaterThan(0);
    expect(reads.primary).toBe(0);
    expect(writes).toEqual({ primary: 1, read_replica: 0, analytics: 0 });
  });

  it('joins a relation in one statement, with the date parsed as Prisma does', async () => {
    const book = await prisma.book.findUnique({ where: { id: 1 }, include: { author: true }, relationLoadStrategy: 'join' });
    expect(book).toEqual({
      id: 1,
      authorId: 1,
      title: 'The Dispossessed',
      published: new Date('1974-05-01T00:00:00Z'),
      author: { id: 1, name: 'Le Guin' },
    });
    // One statement (a lateral join building the author as JSON), read on a replica.
    expect(poolsUsed(instance, /^select .* from .*"books" as "t0" left join lateral \(select jsonb_build_object\(/i)).toEqual({ primary: 0, read_replica: 1, analytics: 0 });
  });

  it("invalidates a cached read when Prisma's own write changes the row", async () => {
    const read = async () => (await prisma.book.findUniqueOrThrow({ where: { id: 2 } })).title;
    await read();
    const hitsBefore = cacheHits(instance, FIND_BOOK_BY_ID);
    expect(await read()).toBe('Ficciones');
    expect(cacheHits(instance, FIND_BOOK_BY_ID)).toBe(hitsBefore + 1);

    await runWithRequestContext({ sessionKey: 'prisma-invalidate' }, async () => {
      await prisma.book.update({ where: { id: 2 }, data: { title: 'Ficciones (1944)' } });
      expect(await read()).toBe('Ficciones (1944)');
    });
  });

  it('runs an interactive transaction on one connection and invalidates the cached read at COMMIT', async () => {
    const read = async () => (await prisma.book.findUniqueOrThrow({ where: { id: 1 } })).title;
    await read();
    const hitsBefore = cacheHits(instance, FIND_BOOK_BY_ID);
    expect(await read()).toBe('The Dispossessed');
    expect(cacheHits(instance, FIND_BOOK_BY_ID)).toBe(hitsBefore + 1);

    await runWithRequestContext({ sessionKey: 'prisma-tx' }, async () => {
      await prisma.$transaction(async (tx) => {
        await tx.book.update({ where: { id: 1 }, data: { title: 'The Dispossessed: An Ambiguous Utopia' } });
        // Inside the transaction the change is visible: same connection.
        expect((await tx.book.findUniqueOrThrow({ where: { id: 1 } })).title).toBe('The Dispossessed: An Ambiguous Utopia');
      });
      expect(await read()).toBe('The Dispossessed: An Ambiguous Utopia');
    });
  });

  it('runs a transaction at the isolation level it asks for (its SET TRANSACTION on the same connection)', async () => {
    const level = await prisma.$transaction((tx) => tx.$queryRaw<{ transaction_isolation: string }[]>`SHOW transaction_isolation`, {
      isolationLevel: 'Serializable',
    });
    expect(level).toEqual([{ transaction_isolation: 'serializable' }]);
  });

  it('undoes a rolled-back interactive transaction', async () => {
    const failing = prisma.$transaction(async (tx) => {
      await tx.author.update({ where: { id: 2 }, data: { name: 'nobody' } });
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    await runWithRequestContext({ sessionKey: 'prisma-rollback' }, async () => {
      expect(await prisma.author.findUnique({ where: { id: 2 } })).toEqual({ id: 2, name: 'Borges' });
    });
  });

  it('lets a request read its own write', async () => {
    await runWithRequestContext({ sessionKey: 'prisma-own-write' }, async () => {
      const { id } = await prisma.author.create({ data: { name: 'Ursula K. Le Guin' } });
      // Prisma's write went through the module: the request now holds the write's consistency token.
      expect(currentRequestContext()?.consistencyToken).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(await prisma.author.findUnique({ where: { id } })).toEqual({ id, name: 'Ursula K. Le Guin' });
    });
  });
});
