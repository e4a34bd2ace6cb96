/** The channel change triggers NOTIFY, with the canonical table name as payload. */
export const CHANGE_CHANNEL = 'db_optimizer_changes';

/** Name of the statement trigger installChangeNotifications() puts on each table. */
export const CHANGE_TRIGGER_NAME = 'db_optimizer_change_notify';

/** Name of the trigger function, one per schema, shared by the schema's tables. */
export const CHANGE_FUNCTION_NAME = 'db_optimizer_notify_change';

/** application_name of the listening connection, to find it in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'db-optimizer-change-listener';
