import { Client, type ClientConfig } from 'pg';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';

/**
 * One test file's corner of the real primary: its own schema, and clients whose connection the
 * test controls (the statement cache is per connection, so tests need to know which one runs).
 */
export class StatementTestDatabase {
  readonly schema: string;
  private readonly clients: Client[] = [];

  constructor(prefix: string) {
    this.schema = uniqueSchema(prefix);
  }

  /** Creates the schema and runs `setupSql` in it. */
  async create(...setupSql: string[]): Promise<void> {
    const admin = await this.connect();
    await admin.query(`CREATE SCHEMA ${this.schema}`);
    for (const statement of setupSql) await admin.query(statement);
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

  /** Names of the statements prepared on `client`'s own session, sorted. */
  async preparedNames(client: Client): Promise<string[]> {
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

/** pg's own record of named statements on `client`'s connection (see pg-statement-records.ts). */
export function pgParsedNames(client: Client): string[] {
  const records = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
  return Object.keys(records.parsedStatements).sort();
}
