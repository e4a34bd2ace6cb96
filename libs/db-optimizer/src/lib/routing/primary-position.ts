import type { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { INSERT_POSITION_UNAVAILABLE } from '../core/errors/messages';
import { parseLsn } from '../core/lsn';
import type { ManagedPool } from '../pool/managed-pool';

/** Longest a role check may take before the server counts as unreachable. */
const ROLE_CHECK_TIMEOUT_MS = 2000;

/** How long a server that cannot give the insert position is asked the written position instead, before it is asked again. */
export const INSERT_POSITION_RETRY_MS = 60_000;

/** A primary's WAL positions, read together. */
export interface PrimaryPosition {
  /**
   * At or past every commit made before it was read, asynchronous ones too: what may stand for
   * those writes' positions (`ConsistencyTracker.notePrimaryPosition`).
   */
  covering: bigint;
  /** What the walsenders can have sent (the flush position): replicas' lag is measured against it. */
  shipped: bigint;
}

/** What a check read of a server: whether it is in recovery and, when not, its positions. */
export interface PrimaryReading {
  inRecovery: boolean;
  position: PrimaryPosition | undefined;
}

type Row = { in_recovery: boolean; covering: string | null; shipped: string | null };

/**
 * The insert position covers a commit made with `synchronous_commit = off`, which lies past the
 * written position (`pg_current_wal_lsn()`) until the WAL writer runs. The functions fail during
 * recovery, so they are asked only of a server that is not in recovery.
 */
const INSERT_SQL = `SELECT pg_is_in_recovery() AS in_recovery,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_insert_lsn()::text END AS covering,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_flush_lsn()::text END AS shipped`;

/**
 * For a role or server without the insert position: the written position, which an asynchronous
 * commit can lie past for up to three rounds of the WAL writer (`INSERT_POSITION_UNAVAILABLE`
 * says so). Nothing a role without privileges can call reads further without writing WAL.
 */
const WRITTEN_SQL = `SELECT pg_is_in_recovery() AS in_recovery,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS covering,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS shipped`;

/** How a server answers a role that may not call the insert position, or that lacks it. */
function insertPositionUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  // 42501 permission denied, 42883 no such function, 0A000 not supported (managed services); all name the function.
  return (code === '42501' || code === '42883' || code === '0A000') && String(message).includes('pg_current_wal_insert_lsn');
}

/**
 * Reads a server's role and WAL positions for `PrimaryWatch`. Where the insert position cannot
 * be had, it reads the written position, says so once, and asks for the insert position again
 * after `INSERT_POSITION_RETRY_MS`.
 */
export class PrimaryPositionReader {
  /** When each server last could not give the insert position (ms since epoch). */
  private readonly unavailableSince = new WeakMap<ManagedPool, number>();

  constructor(private readonly logger: Pick<Logger, 'warn'>) {}

  /** Throws when the server cannot be used (unreachable, timed out, refused). */
  read(pool: ManagedPool): Promise<PrimaryReading> {
    return pool.withClient(async (client) => {
      const since = this.unavailableSince.get(pool);
      if (since === undefined || Date.now() - since >= INSERT_POSITION_RETRY_MS) {
        try {
          const reading = readingOf(await rowOf(client, INSERT_SQL));
          this.unavailableSince.delete(pool);
          return reading;
        } catch (error) {
          if (!insertPositionUnavailable(error)) throw error;
          if (since === undefined) this.logger.warn(INSERT_POSITION_UNAVAILABLE(pool.name, (error as Error).message));
          this.unavailableSince.set(pool, Date.now());
        }
      }
      return readingOf(await rowOf(client, WRITTEN_SQL));
    });
  }
}

async function rowOf(client: PoolClient, text: string): Promise<Row> {
  const { rows } = await client.query<Row>({ text, query_timeout: ROLE_CHECK_TIMEOUT_MS } as never);
  return rows[0];
}

function readingOf(row: Row): PrimaryReading {
  const covering = row.covering === null ? undefined : parseLsn(row.covering);
  const shipped = row.shipped === null ? undefined : parseLsn(row.shipped);
  return { inRecovery: row.in_recovery, position: covering === undefined || shipped === undefined ? undefined : { covering, shipped } };
}
