import { Pool } from 'pg';
import { addWindow, cpuPerOperation, CpuSnapshot, cpuSnapshot, machineTicks, processTicks, serverBoundThroughput } from './server-cpu';

describe('server CPU accounting', () => {
  it('reads user + system ticks after the last parenthesis of a stat line, whatever the name holds', () => {
    // pid (name) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    expect(processTicks('4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 120 0 0 0 731 215 3 1 20 0 1 0')).toBe(946);
  });

  it('counts idle and iowait as not busy, and steal as busy', () => {
    expect(machineTicks('cpu  100 5 40 800 20 1 4 30 0 0\ncpu0 1 2 3 4\n')).toEqual({ busy: 180, total: 1000 });
  });

  it('sums windows per server process and divides by their operations; a process that ends or starts never makes it go back', () => {
    const at = (clientUs: number, servers: Array<[string, number]>, machineBusyUs: number, machineTotalUs: number): CpuSnapshot => ({
      clientUs,
      servers: new Map(servers.map(([pid, us]) => [pid, { server: 'postgresUs' as const, us }])),
      machineBusyUs,
      machineTotalUs,
    });
    // Window 1: backend 10 spends 300 µs, backend 11 (gone by the end, with its 5,000 µs) is lost.
    let spent = addWindow(undefined, at(0, [['10', 1000], ['11', 5000]], 0, 0), at(300, [['10', 1300]], 900, 1000));
    // Window 2: backend 10 spends 100 µs, backend 12 starts and spends 100 µs.
    spent = addWindow(spent, at(1000, [['10', 2000]], 5000, 5000), at(1100, [['10', 2100], ['12', 100]], 5900, 6000));

    expect(spent.postgresUs).toBe(500);
    expect(cpuPerOperation(spent, 10)).toEqual({ clientUs: 40, postgresUs: 50, redisUs: 0, machineIdlePct: 10 });
  });

  it('bounds throughput by the servers’ CPU per operation on every core', () => {
    expect(serverBoundThroughput({ clientUs: 30, postgresUs: 40, redisUs: 10, machineIdlePct: 0 }, 2)).toBe(40_000);
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
});
