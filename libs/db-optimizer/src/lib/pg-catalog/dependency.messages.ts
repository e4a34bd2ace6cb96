/** Messages of dependency tracking and change notifications, as sentences that name the misuse and the fix. */

export const INVALID_NOTIFICATION_TABLE = (name: unknown): string =>
  `Change notifications need table names as non-empty strings ("table" or "schema.table"), got ${JSON.stringify(name)}.`;

export const UNKNOWN_NOTIFICATION_TABLE = (name: string): string =>
  `Cannot install change notifications on "${name}": no such table under the connection's search_path. ` +
  'Create the table first, or name its schema ("schema.table", unquoted, exact case).';

export const NOT_A_NOTIFICATION_TABLE = (name: string, kind: string): string =>
  `Cannot install change notifications on "${name}": it is a ${kind}, not a table. Install them on the tables it reads.`;

export const LISTENER_STOPPED = (): string =>
  'This ChangeNotificationListener has been stopped; it cannot start again. Create a new one.';

export const LISTENER_START_FAILED = (channel: string): string =>
  `ChangeNotificationListener could not LISTEN on "${channel}": the server may be down or the URL wrong. Nothing is listening.`;

export const LISTENER_CONNECTION_LOST = (channel: string, delayMs: number): string =>
  `Change notification connection (channel "${channel}") lost; reconnecting in ${delayMs} ms. ` +
  'Notifications sent meanwhile are lost: flush what they could have invalidated once it is back.';

export const LISTENER_CALLBACK_FAILED = (table: string): string =>
  `The change notification callback threw for table "${table}"; the listener goes on.`;

/** What pg_class.relkind letters mean, for messages. */
export const RELATION_KINDS: Record<string, string> = {
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  S: 'sequence',
  i: 'index',
  I: 'partitioned index',
  c: 'composite type',
  t: 'TOAST table',
};
