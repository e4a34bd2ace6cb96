import { Client, type ClientConfig } from 'pg';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';

/**
 * One test file's corner of the real primary: its own schema, and clients whose connection the
 * test controls (the statement cache is per connection, so tests need to know which one runs).
 */
export class StatementTestDatabase {
  readonly schema: string;
  private readonly clients: Client[] = [];
  private fileClient?: Client;

  constructor(prefix: string) {
    this.schema = uniqueSchema(prefix);
  }

  /** Creates the schema and runs `setupSql` in it. */
  async create(...setupSql: string[]): Promise<void> {
    const admin = await this.connect();
    await admin.query(`CREATE SCHEMA ${this.schema}`);
    for (const statement of setupSql) await admin.query(statement);
  }

  /** The client {@link schemaWithClient} connects before the file's tests. */
  get client(): Client {
    if (!this.fileClient) throw new Error(`No client on ${this.schema} yet: open the schema with schemaWithClient(), and read db.client inside a test.`);
    return this.fileClient;
  }

  /** Connects the client every test of the file uses (`client`). */
  async connectFileClient(config: ClientConfig = {}): Promise<void> {
    this.fileClient = await this.connect(config);
  }

  /** A connected client whose search_path is the schema; ended by `drop()`. */
  async connect(config: ClientConfig = {}): Promise<Client> {
    const client = new Client({ connectionString: testEnv().primaryUrl, ...config });
    // A checked-out connection's socket error must not crash the test process.
    client.on('error', () => undefined);
    await client.connect();
    await client.query(`SET search_path TO ${this.schema}, public`);
    this.clients.push(client);
    return client;
  }

  /** Names of the statements prepared on `client`'s own session (by default the file's client), sorted. */
  async preparedNames(client: Client = this.client): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
    return rows.map((row) => row.name);
  }

  /** Drops the schema and ends every client. */
  async drop(): Promise<void> {
    const admin = this.clients[0];
    await admin?.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
  }
}

/**
 * This test file's own schema on the primary: created before its tests (then
 * `setupSql(schema)` runs in it), dropped after them with every client opened on it.
 */
export function schemaOnPrimary(prefix: string, setupSql: (schema: string) => string[] = () => []): StatementTestDatabase {
  const db = new StatementTestDatabase(prefix);
  beforeAll(() => db.create(...setupSql(db.schema)));
  afterAll(() => db.drop());
  return db;
}

/** {@link schemaOnPrimary}, and one client on it for all the file's tests: `db.client`. */
export function schemaWithClient(prefix: string, config: ClientConfig = {}): StatementTestDatabase {
  const db = schemaOnPrimary(prefix);
  beforeAll(() => db.connectFileClient(config));
  return db;
}

/** pg's own record of named statements on `client`'s connection (see pg-statement-records.ts). */
export function pgParsedNames(client: Client): string[] {
  const records = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
  return Object.keys(records.parsedStatements).sort();
}
