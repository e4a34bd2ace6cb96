import * as pg from 'pg';
import type { QueryResult } from 'pg';
import { type ProbeQueryClass, replayMatchesPg } from './row-description-probe';
import { replayRowDescription, type RowDescriptionTarget } from './row-description-replay';
import { type ConnectionDescriptions, descriptionsOf, NO_DATA, type StatementColumns } from './statement-descriptions';

export type QueryCallback = (error: Error | null, result: QueryResult) => void;

/** A pg query object, as far as the cache sets it up before submitting it. */
export interface PgQuery {
  name?: string;
}

/** pg's query class, as pg's `Client` exposes it (`Client.Query`). */
export type PgQueryClass = new (config: unknown, values: unknown[] | undefined, callback: QueryCallback) => PgQuery;

/** What pg 8's query object has and does while it is sent and answered (`lib/query.js`). */
interface PgQueryInternals {
  name?: string;
  values?: unknown[];
  rows?: number;
  binary?: boolean;
  portal: string;
  /** pg fails the run with it at ReadyForQuery, as it does when a row cannot be parsed. */
  _canceledDueToError: unknown;
  hasBeenParsed(connection: unknown): boolean;
  prepare(connection: unknown): void;
  handleRowDescription(message: { fields: StatementColumns }): void;
  handleCommandComplete(message: unknown, connection: unknown): void;
  handleError(error: unknown, connection: unknown): void;
  _getRows(connection: unknown, rows: number | undefined): void;
}

/** What pg 8's connection sends for a query (`lib/connection.js`). */
interface PgConnection {
  bind(config: object): void;
  close(config: { type: 'S'; name: string }): void;
  sync(): void;
}

/** The mapping pg applies to each parameter before it sends it (`lib/utils.js`); reachable as `pg.utils`. */
type ValueMapper = (value: unknown, index: number) => unknown;
const pgPrepareValue = (pg as unknown as { utils?: { prepareValue?: ValueMapper } }).utils?.prepareValue;

/**
 * pg's query class, changed in one way: a named statement whose columns this connection has
 * already described runs as Bind, Execute and Sync, without pg's Describe on every run. The
 * server then sends no RowDescription, and pg parses none: about 2 µs less of the client's CPU
 * per run, and one message less for the server to build. Rows, errors and `fields` (shared and
 * frozen; see `ConnectionDescriptions` for their `tableID` and `columnID`) are as pg's own. The
 * first run on each connection, a run after its records were forgotten, a paged run (`rows`) and
 * a binary one describe as pg does.
 *
 * Only for pg's own query class from the pg this module loads: the parameters must be mapped
 * with pg's `prepareValue`, and another pg's query class may differ. Any other class is returned
 * as it is.
 */
export function describeOnceQueryClass(Query: PgQueryClass): PgQueryClass {
  if (!isLoadedPgQuery(Query)) return Query;
  // pg's own hand-over builds the result's empty row on every run, through a dictionary-mode object (most of its cost);
  // the replay builds it once per columns, and is used only where it leaves a query exactly as pg's would.
  return (describeOnce ??= defineDescribeOnce(Query, pgPrepareValue!, replayMatchesPg(Query as unknown as ProbeQueryClass)));
}

let describeOnce: PgQueryClass | undefined;

/**
 * The same class with the replay on or off as the caller says, not as the probe found: a new
 * class on every call. Off is what runs where the probe refuses a pg release, so its tests use it.
 */
export function describeOnceQueryClassWithReplay(Query: PgQueryClass, replay: boolean): PgQueryClass {
  return isLoadedPgQuery(Query) ? defineDescribeOnce(Query, pgPrepareValue!, replay) : Query;
}

/** pg's own query class, from the pg this module loads and whose `prepareValue` it has. */
function isLoadedPgQuery(Query: PgQueryClass): boolean {
  return pgPrepareValue !== undefined && Query === (pg.Client as unknown as { Query?: unknown }).Query;
}

function defineDescribeOnce(Query: PgQueryClass, prepareValue: ValueMapper, replay: boolean): PgQueryClass {
  const Base = Query as unknown as new (...args: ConstructorParameters<PgQueryClass>) => PgQueryInternals;
  class DescribeOnceQuery extends Base {
    /** The connection's descriptions, while this run's Describe is unanswered. */
    private describing: ConnectionDescriptions | undefined = undefined;
    /** Their generation when the Describe was sent. */
    private describedAt = 0;

    override prepare(connection: PgConnection): void {
      const name = this.name;
      // Paged and binary runs describe as pg does: their columns are not kept (a binary run's formats differ).
      const descriptions = name && !this.rows && !this.binary ? descriptionsOf(connection) : undefined;
      const parsed = descriptions !== undefined && this.hasBeenParsed(connection);
      const columns = parsed ? descriptions.columnsOf(name!) : undefined;
      if (columns === undefined) {
        if (descriptions !== undefined && !parsed) descriptions.parsing(name!);
        this.describing = descriptions;
        this.describedAt = descriptions?.generation ?? 0;
        super.prepare(connection);
        return;
      }
      try {
        connection.bind({ portal: this.portal, statement: name, values: this.values, binary: this.binary, valueMapper: prepareValue });
      } catch (error) {
        // As pg does when a parameter cannot be mapped: nothing was executed; close and fail this run only.
        connection.close({ type: 'S', name: name! });
        connection.sync();
        this.handleError(error, connection);
        return;
      }
      // Execute and Sync go out before anything here can throw: a Bind left without its Sync would hang the connection.
      this._getRows(connection, this.rows);
      if (columns === NO_DATA) return;
      try {
        if (replay) replayRowDescription(this as unknown as RowDescriptionTarget, columns);
        else this.handleRowDescription({ fields: columns });
      } catch (error) {
        // A caller's type parser threw: fail this run when its answers are in, as pg does for a row it cannot parse.
        this._canceledDueToError = error;
      }
    }

    override handleRowDescription(message: { fields: StatementColumns }): void {
      if (this.describing !== undefined) {
        this.describing.remember(this.name!, message.fields, this.describedAt);
        this.describing = undefined;
      }
      super.handleRowDescription(message);
    }

    override handleCommandComplete(message: unknown, connection: unknown): void {
      // Described, and no RowDescription came: the statement returns no rows (the server said NoData).
      if (this.describing !== undefined) {
        this.describing.remember(this.name!, NO_DATA, this.describedAt);
        this.describing = undefined;
      }
      super.handleCommandComplete(message, connection);
    }
  }
  return DescribeOnceQuery as unknown as PgQueryClass;
}
