import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { Notification } from 'pg';
import { CHANGE_CHANNEL, LISTENER_APPLICATION_NAME } from './change-notifications.constants';
import { LISTENER_CALLBACK_FAILED, LISTENER_CONNECTION_LOST, LISTENER_START_FAILED, LISTENER_STOPPED } from '../../pg-catalog/dependency.messages';

/** Options of ChangeNotificationListener. */
export interface ChangeNotificationListenerOptions {
  /**
   * Wait before the first reconnection attempt after the connection drops;
   * doubles after each failed attempt, up to maxReconnectDelayMs.
   * @default 500
   */
  reconnectDelayMs?: number;
  /** @default 30000 */
  maxReconnectDelayMs?: number;
  /**
   * Called once listening again after a reconnection. Notifications sent
   * while disconnected are lost: flush whatever they could have invalidated.
   */
  onReconnect?: () => void;
  /** Told about connection and callback errors (the listener carries on). By default they are logged as warnings. */
  onError?: (error: unknown) => void;
  /** @default 'db_optimizer_changes' (CHANGE_CHANNEL) */
  channel?: string;
  /** application_name of the connection, to tell it apart in pg_stat_activity. @default 'db-optimizer-change-listener' */
  applicationName?: string;
}

type State = 'idle' | 'starting' | 'listening' | 'reconnecting' | 'stopped';

/**
 * Holds one dedicated connection LISTENing on the change channel and calls
 * `onChange(table)` for each notification. When the connection drops it
 * reconnects with exponential backoff, and never lets an error escape: the
 * client always has an 'error' handler, callback errors are caught.
 *
 * @example
 * const listener = new ChangeNotificationListener(url, (table) => cache.invalidateTable(table), {
 *   onReconnect: () => cache.flushAll(),
 * });
 * await listener.start();
 * @publicApi
 */
export class ChangeNotificationListener {
  private readonly logger = new Logger(ChangeNotificationListener.name);
  private readonly channel: string;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private client?: Client;
  private state: State = 'idle';
  private attempts = 0;
  private timer?: NodeJS.Timeout;

  /**
   * @param connectionString where to LISTEN; a function is asked again at every (re)connection, so a
   * listener on "the primary" follows a failover.
   */
  constructor(
    private readonly connectionString: string | (() => string),
    private readonly onChange: (table: string) => void,
    private readonly options: ChangeNotificationListenerOptions = {},
  ) {
    this.channel = options.channel ?? CHANGE_CHANNEL;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 500;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 30_000;
  }

  /** True while the connection is up and LISTENing. */
  get listening(): boolean {
    return this.state === 'listening';
  }

  /**
   * Connects and LISTENs. Resolves once listening; calling it again then
   * does nothing. Rejects (and stays stopped) when the first connection fails.
   */
  async start(): Promise<void> {
    if (this.state === 'stopped') throw new Error(LISTENER_STOPPED());
    if (this.state !== 'idle') return;
    this.state = 'starting';
    try {
      await this.connect();
    } catch (error) {
      if (this.state === 'starting') this.state = 'idle';
      throw new Error(LISTENER_START_FAILED(this.channel), { cause: error });
    }
  }

  /** Closes the connection and cancels any reconnection. Idempotent; the listener cannot start again. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: typeof this.connectionString === 'function' ? this.connectionString() : this.connectionString,
      // Keepalives notice a silently dropped connection, which would otherwise look idle forever.
      keepAlive: true,
      application_name: this.options.applicationName ?? LISTENER_APPLICATION_NAME,
    });
    // Attached before connect(): an error event without a listener would crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.deliver(message));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      if (this.client === client) this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.state === 'stopped') {
      await client.end().catch(() => undefined);
      return;
    }
    this.state = 'listening';
    this.attempts = 0;
  }

  /** The connection failed or ended. Events of an older client, or during connect() (which reports itself), are ignored. */
  private lost(client: Client, error?: Error): void {
    if (client !== this.client || this.state !== 'listening') return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.state = 'reconnecting';
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(cause?: unknown): void {
    const delay = Math.min(this.reconnectDelayMs * 2 ** this.attempts, this.maxReconnectDelayMs);
    this.attempts++;
    this.report(new Error(LISTENER_CONNECTION_LOST(this.channel, delay), { cause }));
    this.timer = setTimeout(() => void this.reconnect(), delay);
    // A listener waiting to reconnect should not keep an otherwise finished process alive.
    this.timer.unref();
  }

  private async reconnect(): Promise<void> {
    this.timer = undefined;
    if (this.state !== 'reconnecting') return;
    try {
      await this.connect();
    } catch (error) {
      if (this.state === 'reconnecting') this.scheduleReconnect(error);
      return;
    }
    // stop() may have run while connecting.
    if (this.listening) this.safely(() => this.options.onReconnect?.());
  }

  private deliver(message: Notification): void {
    if (message.channel !== this.channel || !message.payload) return;
    const table = message.payload;
    this.safely(() => this.onChange(table), table);
  }

  /** Runs a user callback; a throw or a rejected promise is reported, never rethrown. */
  private safely(callback: () => unknown, table?: string): void {
    const fail = (error: unknown): void => this.report(table === undefined ? error : new Error(LISTENER_CALLBACK_FAILED(table), { cause: error }));
    try {
      const result = callback();
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  private report(error: unknown): void {
    if (this.options.onError) {
      try {
        this.options.onError(error);
      } catch {
        // The error reporter itself failed: nothing more can be done safely.
      }
      return;
    }
    this.logger.warn(error instanceof Error ? error.message : String(error));
  }
}
