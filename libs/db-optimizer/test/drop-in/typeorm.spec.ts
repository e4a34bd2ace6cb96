import 'reflect-metadata';
import { Column, DataSource, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { routingPgModule, runWithRequestContext } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheHits, libraryFixture, poolsUsed } from './support/orm-fixture';

const schema = uniqueSchema('dropin_typeorm');

@Entity({ name: 'authors', schema })
class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  name!: string;
}

@Entity({ name: 'books', schema })
class Book {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'author_id' })
  authorId!: number;

  @ManyToOne(() => Author)
  @JoinColumn({ name: 'author_id' })
  author!: Author;

  @Column()
  title!: string;

  @Column({ type: 'date', nullable: true })
  published!: string | null;
}

/** findOneBy({ id }) on books, as TypeORM writes it. */
const FIND_BOOK_BY_ID = /"Book"\."title" AS "Book_title".* FROM .*"books" "Book" WHERE \(\("Book"\."id" = \$1\)\) LIMIT \$2$/;

describe('TypeORM on the routing pool', () => {
  const instance = libraryFixture(schema);
  let dataSource: DataSource;

  beforeAll(async () => {
    // As an app would: TypeORM takes a pg-module stand-in whose `new Pool()` is a routing pool.
    dataSource = new DataSource({
      type: 'postgres',
      driver: routingPgModule(() => instance.db.createPool()),
      entities: [Author, Book],
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('creates, reads, updates and deletes rows', async () => {
    const authors = dataSource.getRepository(Author);
    // save() runs its INSERT inside a transaction of its own.
    const { id } = await authors.save(authors.create({ name: 'Calvino' }));
    await runWithRequestContext({ sessionKey: 'typeorm-crud' }, async () => {
      expect(await authors.findOneBy({ id })).toEqual({ id, name: 'Calvino' });
      const updated = await authors.update({ id }, { name: 'Italo Calvino' });
      expect(updated.affected).toBe(1);
      expect(await authors.findOneBy({ id })).toEqual({ id, name: 'Italo Calvino' });
      const deleted = await authors.delete({ id });
      expect(deleted.affected).toBe(1);
      expect(await authors.findOneBy({ id })).toBeNull();
    });
  });

  it('sends reads to a replica and writes to the primary', async () => {
    const books = dataSource.getRepository(Book);
    await books.findOneBy({ id: 2 });
    await books.update({ id: 2 }, { title: 'Ficciones' });
    const reads = poolsUsed(instance, FIND_BOOK_BY_ID);
    const writes = poolsUsed(instance, /^update .*"books" set "title" = \$1 where "id" = \$2$/i);
    expect(reads.read_replica).toBeGreaterThan(0);
    expect(reads.primary).toBe(0);
    expect(writes).toEqual({ primary: 1, read_replica: 0, analytics: 0 });
  });

  it('joins a relation', async () => {
    const book = await dataSource.getRepository(Book).findOne({ where: { id: 1 }, relations: { author: true } });
    expect(book).toEqual({ id: 1, authorId: 1, title: 'The Dispossessed', published: '1974-05-01', author: { id: 1, name: 'Le Guin' } });
  });

  it('runs a transaction on one connection and invalidates the cached read at COMMIT', async () => {
    const books = dataSource.getRepository(Book);
    const read = async () => (await books.findOneByOrFail({ id: 1 })).title;
    const pattern = FIND_BOOK_BY_ID;
    await read();
    const hitsBefore = cacheHits(instance, pattern);
    expect(await read()).toBe('The Dispossessed');
    expect(cacheHits(instance, pattern)).toBe(hitsBefore + 1);

    await runWithRequestContext({ sessionKey: 'typeorm-tx' }, async () => {
      await dataSource.transaction(async (manager) => {
        await manager.update(Book, { id: 1 }, { title: 'The Dispossessed: An Ambiguous Utopia' });
        expect((await manager.findOneByOrFail(Book, { id: 1 })).title).toBe('The Dispossessed: An Ambiguous Utopia');
      });
      expect(await read()).toBe('The Dispossessed: An Ambiguous Utopia');
    });
  });

  it('undoes a rolled-back transaction', async () => {
    const failing = dataSource.transaction(async (manager) => {
      await manager.update(Author, { id: 2 }, { name: 'nobody' });
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    await runWithRequestContext({ sessionKey: 'typeorm-rollback' }, async () => {
      expect(await dataSource.getRepository(Author).findOneBy({ id: 2 })).toEqual({ id: 2, name: 'Borges' });
    });
  });
});
