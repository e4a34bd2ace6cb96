import { eq } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { date, integer, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { runWithRequestContext } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheHits, libraryFixture, poolsUsed } from './support/orm-fixture';

const schema = uniqueSchema('dropin_drizzle');
const library = pgSchema(schema);
const authors = library.table('authors', { id: serial('id').primaryKey(), name: text('name').notNull() });
const books = library.table('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull(),
  title: text('title').notNull(),
  // Drizzle parses dates itself: it asks pg for the raw text through custom `types`.
  published: date('published', { mode: 'date' }),
});

describe('Drizzle (node-postgres) on the routing pool', () => {
  const instance = libraryFixture(schema);
  let db: NodePgDatabase;

  beforeAll(() => {
    // As an app would: the driver is handed the module's pool.
    db = drizzle({ client: instance.db.pool.asPgPool() });
  });

  it('creates, reads, updates and deletes rows', async () => {
    const [{ id }] = await db.insert(authors).values({ name: 'Calvino' }).returning({ id: authors.id });
    await runWithRequestContext({ sessionKey: 'drizzle-crud' }, async () => {
      expect(await db.select({ name: authors.name }).from(authors).where(eq(authors.id, id))).toEqual([{ name: 'Calvino' }]);
      const updated = await db.update(authors).set({ name: 'Italo Calvino' }).where(eq(authors.id, id));
      expect(updated.rowCount).toBe(1);
      expect(await db.select({ name: authors.name }).from(authors).where(eq(authors.id, id))).toEqual([{ name: 'Italo Calvino' }]);
      const deleted = await db.delete(authors).where(eq(authors.id, id)).returning({ id: authors.id });
      expect(deleted).toEqual([{ id }]);
      expect(await db.select().from(authors).where(eq(authors.id, id))).toEqual([]);
    });
  });

  it('sends reads to a replica and writes to the primary', async () => {
    await db.select({ title: books.title }).from(books).where(eq(books.id, 2));
    await db.update(books).set({ title: 'Ficciones' }).where(eq(books.id, 2));
    const reads = poolsUsed(instance, /^select "title" from .*"books" where .*"id" = \$1$/i);
    const writes = poolsUsed(instance, /^update .*"books" set "title" = \$1 where .*"id" = \$2$/i);
    expect(reads.read_replica).toBeGreaterThan(0);
    expect(reads.primary).toBe(0);
    expect(writes).toEqual({ primary: 1, read_replica: 0, analytics: 0 });
  });

  it('joins, in array row mode with its own date parsing', async () => {
    const rows = await db
      .select({ title: books.title, author: authors.name, published: books.published })
      .from(books)
      .innerJoin(authors, eq(authors.id, books.authorId))
      .where(eq(books.id, 1));
    expect(rows).toEqual([{ title: 'The Dispossessed', author: 'Le Guin', published: new Date('1974-05-01T00:00:00.000Z') }]);
  });

  it('runs a transaction on one connection and invalidates the cached read at COMMIT', async () => {
    const read = () => db.select({ title: books.title }).from(books).where(eq(books.id, 1));
    const pattern = /^select "title" from .*"books" where .*"id" = \$1$/i;
    await read();
    const hitsBefore = cacheHits(instance, pattern);
    expect(await read()).toEqual([{ title: 'The Dispossessed' }]);
    expect(cacheHits(instance, pattern)).toBe(hitsBefore + 1);

    await runWithRequestContext({ sessionKey: 'drizzle-tx' }, async () => {
      await db.transaction(async (tx) => {
        await tx.update(books).set({ title: 'The Dispossessed: An Ambiguous Utopia' }).where(eq(books.id, 1));
        expect(await tx.select({ title: books.title }).from(books).where(eq(books.id, 1))).toEqual([
          { title: 'The Dispossessed: An Ambiguous Utopia' },
        ]);
      });
      expect(await read()).toEqual([{ title: 'The Dispossessed: An Ambiguous Utopia' }]);
    });
  });

  it('undoes a rolled-back transaction', async () => {
    const failing = db.transaction(async (tx) => {
      await tx.update(authors).set({ name: 'nobody' }).where(eq(authors.id, 2));
      tx.rollback();
    });
    await expect(failing).rejects.toThrow('Rollback');
    await runWithRequestContext({ sessionKey: 'drizzle-rollback' }, async () => {
      expect(await db.select({ name: authors.name }).from(authors).where(eq(authors.id, 2))).toEqual([{ name: 'Borges' }]);
    });
  });
});
