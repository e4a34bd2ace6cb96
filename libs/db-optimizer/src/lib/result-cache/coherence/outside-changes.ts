import { Logger } from '@nestjs/common';
import { ChangeNotificationListener, installChangeNotifications } from './change-notifications';
import type { CatalogQuery } from '../../pg-catalog/catalog-query';

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

  constructor(
    private readonly primaryUrl: string,
    private readonly query: CatalogQuery,
    private readonly apply: (tables: string[]) => Promise<void>,
  ) {}

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
    const listener = new ChangeNotificationListener(this.primaryUrl, (table) => this.heard(table), {
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
