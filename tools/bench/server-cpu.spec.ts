import { Pool } from 'pg';
import { addWindow, cpuPerOperation, CpuSnapshot, cpuSnapshot, isReplicationProcess, machineTicks, processTicks, serverBoundThroughput } from './server-cpu';

describe('server CPU accounting', () => {
  it('reads user + system ticks after the last parenthesis of a stat line, whatever the name holds', () => {
    // pid (name) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    expect(processTicks('4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 120 0 0 0 731 215 3 1 20 0 1 0')).toBe(946);
  });

  it('counts idle and iowait as not busy, and steal as busy', () => {
    expect(machineTicks('cpu  100 5 40 800 20 1 4 30 0 0\ncpu0 1 2 3 4\n')).toEqual({ busy: 180, total: 1000 });
  });

  it('sums windows per server process and divides by their operations; a process that ends or starts never makes it go back', () => {
    // Pid 20 is a walsender: its CPU is the servers' and, within it, replication's.
    const at = (clientUs: number, servers: Array<[string, number]>, machineBusyUs: number, machineTotalUs: number): CpuSnapshot => ({
      clientUs,
      servers: new Map(servers.map(([pid, us]) => [pid, { server: 'postgresUs' as const, us, replication: pid === '20' }])),
      machineBusyUs,
      machineTotalUs,
    });
    // Window 1: backend 10 spends 300 µs, the walsender 200, backend 11 (gone by the end, with its 5,000 µs) is lost.
    let spent = addWindow(undefined, at(0, [['10', 1000], ['11', 5000], ['20', 700]], 0, 0), at(300, [['10', 1300], ['20', 900]], 900, 1000));
    // Window 2: backend 10 spends 100 µs, backend 12 starts and spends 100 µs, the walsender 100.
    spent = addWindow(spent, at(1000, [['10', 2000], ['20', 900]], 5000, 5000), at(1100, [['10', 2100], ['12', 100], ['20', 1000]], 5900, 6000));

    expect(spent.postgresUs).toBe(800);
    expect(spent.replicationUs).toBe(300);
    expect(cpuPerOperation(spent, 10)).toEqual({ clientUs: 40, postgresUs: 80, replicationUs: 30, redisUs: 0, machineIdlePct: 10 });
  });

  it('tells the processes that stream and replay WAL from backends and other workers by their titles', () => {
    const titles = {
      'postgres: walsender postgres 127.0.0.1(58288) streaming 0/130CFB40': true,
      'postgres: 15/main: walsender postgres [local] streaming 0/3000148': true,
      'postgres: walreceiver streaming 0/13809AF0': true,
      'postgres: startup recovering 000000010000000000000013': true,
      'postgres: postgres postgres 127.0.0.1(41420) idle': false,
      'postgres: 15/main: postgres bench 127.0.0.1(41420) UPDATE': false,
      'postgres: io worker 0': false,
      'postgres: checkpointer': false,
      '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main': false,
    };
    for (const [title, replication] of Object.entries(titles)) expect([title, isReplicationProcess(title)]).toEqual([title, replication]);
  });

  it('bounds throughput by the servers’ CPU per operation on every core', () => {
    expect(serverBoundThroughput({ clientUs: 30, postgresUs: 40, replicationUs: 15, redisUs: 10, machineIdlePct: 0 }, 2)).toBe(40_000);
  });

  // Other test files start and stop PostgreSQL servers meanwhile: only what this load adds is sure.
  it('sees this process and the PostgreSQL servers spend CPU on a real query load', async () => {
    const before = cpuSnapshot();
    expect(before).toBeDefined();
    const pool = new Pool({ connectionString: process.env['DATABASE_PRIMARY_URL'], max: 4 });
    let after: ReturnType<typeof cpuSnapshot>;
    try {
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 200; i++) await pool.query('SELECT count(*) FROM generate_series(1, 2000)');
      }));
      // Read while the pool's backends still run: they started in the window, and a process that has ended by
      // the second snapshot is in neither, so its CPU would be lost (the servers' share could then read 0).
      after = cpuSnapshot();
    } finally {
      await pool.end();
    }
    const spent = cpuPerOperation(addWindow(undefined, before!, after!), 800);

    expect(spent.clientUs).toBeGreaterThan(0);
    expect(spent.postgresUs).toBeGreaterThan(0);
    expect(spent.machineIdlePct).toBeGreaterThanOrEqual(0);
    expect(spent.machineIdlePct).toBeLessThan(100);
  });

  it('counts what the standbys spend streaming and replaying a write load as replication, within the servers’ CPU', async () => {
    const pool = new Pool({ connectionString: process.env['DATABASE_PRIMARY_URL'], max: 4 });
    let spent: ReturnType<typeof addWindow>;
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS server_cpu_probe (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
      const before = cpuSnapshot()!;
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 250; i++) await pool.query('INSERT INTO server_cpu_probe DEFAULT VALUES');
      }));
      // The walsenders and walreceivers outlive the load, so their CPU is in both snapshots.
      spent = addWindow(undefined, before, cpuSnapshot()!);
      await pool.query('DROP TABLE server_cpu_probe');
    } finally {
      await pool.end();
    }

    expect(spent.replicationUs).toBeGreaterThan(0);
    expect(spent.replicationUs).toBeLessThan(spent.postgresUs);
  });
});
