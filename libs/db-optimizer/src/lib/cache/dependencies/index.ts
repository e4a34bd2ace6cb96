// Dependency analysis for the result cache: what a read depends on, what a write invalidates.
export { CacheDependencyAnalyzer } from './cache-dependency-analyzer';
export { TableCatalog } from './table-catalog';
export type { CatalogQuery } from './table-catalog';
export { ALL_WRITE_EVENTS } from './cache-dependencies.interface';
export type {
  DependencyCatalog,
  FunctionReach,
  KeyColumn,
  KeyType,
  ReadDependencies,
  TableCatalogOptions,
  TableDependency,
  UnknownTriggerPolicy,
  WriteEffects,
  WriteEvent,
  WriteReach,
} from './cache-dependencies.interface';
export {
  CHANGE_CHANNEL,
  ChangeNotificationListener,
  installChangeNotifications,
  removeChangeNotifications,
} from './change-notifications';
export type { ChangeNotificationListenerOptions } from './change-notifications';
export { normalizeKeyValue, encodeRowKey } from './row-key';
export { InMemoryTableCatalog } from './testing/in-memory-table-catalog';
export type { InMemoryCatalogOptions, InMemoryTable } from './testing/in-memory-table-catalog';
