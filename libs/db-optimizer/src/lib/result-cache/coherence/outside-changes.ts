import { Logger } from '@nestjs/common';
import { ChangeNotificationListener, installChangeNotifications } from './change-notifications';
import type { CatalogQuery } from '../../pg-catalog/catalog-query';
import { AsyncMemo } from '../../core/async-memo';

/** The canonical `schema.table` a payload names, when such a relation exists. */
const RESOLVE_TABLE_SQL = `
SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = pg_catalog.to_regclass($1)`;
/** Payloads longer than any schema-qualified, quoted name cannot name a table. */
const MAX_PAYLOAD_LENGTH = 2 * 63 * 2 + 5;
/** Sentinel cached for a payload that names nothing. */
const NO_TABLE = '';

/**
 * Writes that bypass the module (psql, other services, cron jobs), heard through
 * PostgreSQL NOTIFY: triggers installed on the given tables notify, and a listener on the
 * primary turns each notification into a whole-table bump. Notifications arriving in the
 * same tick are applied as one bump.
 */
export class OutsideChanges {
  private readonly logger = new Logger(OutsideChanges.name);
  private listener: ChangeNotificationListener | undefined;
  private readonly pending = new Set<string>();
  /** Tables notifying, canonical names. */
  private readonly installed = new Set<string>();
  private scheduled = false;
  /** Payload -> canonical table ('' when none), bounded and expiring: payloads come from anyone who can connect. */
  private readonly resolved: AsyncMemo<string, string>;

  /** @param primaryUrl the current primary's URL, asked at every (re)connection of the listener. */
  constructor(
    private readonly primaryUrl: () => string,
    private readonly query: CatalogQuery,
    private readonly apply: (tables: string[]) => Promise<void>,
    private readonly onDropped: (payload: string) => void = () => undefined,
  ) {
    this.resolved = new AsyncMemo(1000, 60_000);
  }

  /** Installs the triggers and (once) starts listening; resolves with the tables now notifying. */
  async install(tables: string[]): Promise<string[]> {
    // Listening first: a write between the trigger's creation and LISTEN would go unheard.
    await this.listen([]);
    const notifying = await installChangeNotifications(this.query, tables);
    notifying.forEach((table) => this.installed.add(table));
    return notifying;
  }

  /** Listens (once) for tables whose triggers exist already, e.g. installed by another instance. */
  async listen(tables: readonly string[]): Promise<void> {
    tables.forEach((table) => this.installed.add(table));
    if (this.listener) return;
    const listener = new ChangeNotificationListener(this.primaryUrl, (payload) => void this.admit(payload), {
      // Notifications sent while the listener was disconnected are lost: every table it watches may have changed.
      onReconnect: () => this.installed.forEach((table) => this.heard(table)),
    });
    await listener.start();
    this.listener = listener;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.stop();
  }

  /**
   * Counts a notification only when its payload names a table that exists (our triggers send
   * canonical names of installed tables); anything else is dropped and counted, so stray or
   * hostile NOTIFYs grow neither the version map nor Redis.
   */
  private async admit(payload: string): Promise<void> {
    if (this.installed.has(payload)) return this.heard(payload);
    let table = NO_TABLE;
    if (payload.length <= MAX_PAYLOAD_LENGTH) {
      table = await this.resolved
        .get(payload, async () => ((await this.query(RESOLVE_TABLE_SQL, [payload])).rows[0] as { name?: string } | undefined)?.name ?? NO_TABLE)
        .catch(() => NO_TABLE);
    }
    if (table === NO_TABLE) this.onDropped(payload);
    else this.heard(table);
  }

  private heard(table: string): void {
    this.pending.add(table);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      const tables = [...this.pending];
      this.pending.clear();
      this.scheduled = false;
      this.apply(tables).catch((error: unknown) =>
        this.logger.error(`Applying outside changes to ${tables.join(', ')} failed: ${(error as Error).message}`),
      );
    });
  }
}
