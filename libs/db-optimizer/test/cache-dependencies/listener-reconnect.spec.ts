import { Pool } from 'pg';
import { testEnv, uniqueSchema } from '../../../../tools/testing/test-env';
import { waitFor } from '../../../../tools/testing/wait-for';
import { CHANGE_CHANNEL, ChangeNotificationListener } from '../../src/lib/result-cache/coherence/change-notifications';

describe('ChangeNotificationListener (against the primary)', () => {
  // Other test files notify the same channel at the same time: this file's payloads and connections carry its own tag.
  const tag = uniqueSchema('listener');
  const applicationName = tag;
  let pool: Pool;
  const listeners: ChangeNotificationListener[] = [];

  /** Backend pids of this file's listener connections, as pg_stat_activity shows them. */
  const listenerPids = async (): Promise<number[]> => {
    const { rows } = await pool.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return rows.map((row) => row.pid as number);
  };

  const notify = (payload: string) => pool.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${tag}.${payload}`]);

  /** A listener of this file, recording this file's payloads without the tag. */
  const listen = (tables: string[], options: ConstructorParameters<typeof ChangeNotificationListener>[2] = {}, onChange?: (table: string) => void) => {
    const listener = new ChangeNotificationListener(
      testEnv().primaryUrl,
      (table) => {
        if (!table.startsWith(`${tag}.`)) return;
        const own = table.slice(tag.length + 1);
        tables.push(own);
        return onChange?.(own);
      },
      { applicationName, ...options },
    );
    listeners.push(listener);
    return listener;
  };

  beforeAll(() => {
    pool = new Pool({ connectionString: testEnv().primaryUrl, max: 2 });
  });

  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((listener) => listener.stop()));
  });

  afterAll(async () => {
    await pool.end();
  });

  it('calls back with each notification on the channel', async () => {
    const tables: string[] = [];
    const listener = listen(tables);
    await listener.start();
    expect(listener.listening).toBe(true);
    await notify('public.a');
    await pool.query('SELECT pg_notify($1, $2)', ['some_other_channel', `${tag}.public.b`]);
    await notify('public.c');
    await waitFor(() => tables.length >= 2, { what: 'two notifications' });
    expect(tables).toEqual(['public.a', 'public.c']);
  });

  it('reconnects after its connection is terminated, and says so', async () => {
    const tables: string[] = [];
    const errors: unknown[] = [];
    let reconnects = 0;
    const listener = listen(tables, { reconnectDelayMs: 20, onReconnect: () => reconnects++, onError: (error) => errors.push(error) });
    await listener.start();
    const [pid] = await listenerPids();
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(() => reconnects === 1, { what: 'the reconnection' });
    expect(listener.listening).toBe(true);
    expect(await listenerPids()).not.toContain(pid);
    expect(errors.length).toBeGreaterThan(0);
    await notify('public.after');
    await waitFor(() => tables.includes('public.after'), { what: 'a notification after reconnecting' });
  });

  it('keeps going when the callback throws or rejects', async () => {
    const tables: string[] = [];
    const errors: unknown[] = [];
    const listener = listen(tables, { onError: (error) => errors.push(error) }, (table) => {
      if (table === 'public.throws') throw new Error('boom');
      if (table === 'public.rejects') return Promise.reject(new Error('async boom')) as unknown as void;
    });
    await listener.start();
    await notify('public.throws');
    await notify('public.rejects');
    await notify('public.fine');
    await waitFor(() => tables.includes('public.fine') && errors.length === 2, { what: 'three notifications and two errors' });
    expect(listener.listening).toBe(true);
  });

  it('rejects start() with a clear error when the server cannot be reached', async () => {
    const listener = new ChangeNotificationListener('postgres://postgres@127.0.0.1:1/postgres', () => undefined);
    await expect(listener.start()).rejects.toThrow(/could not LISTEN on "db_optimizer_changes"/);
    expect(listener.listening).toBe(false);
  });

  it('stops for good: no connection left, no restart', async () => {
    const listener = listen([]);
    await listener.start();
    await listener.stop();
    await listener.stop();
    expect(listener.listening).toBe(false);
    await waitFor(async () => (await listenerPids()).length === 0, { what: 'the listener connection to close' });
    await expect(listener.start()).rejects.toThrow(/has been stopped/);
  });
});
