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

  it('sums windows and divides by their operations', () => {
    const at = (clientUs: number, postgresUs: number, machineBusyUs: number, machineTotalUs: number): CpuSnapshot => ({
      clientUs,
      postgresUs,
      redisUs: 0,
      machineBusyUs,
      machineTotalUs,
    });
    let spent = addWindow(undefined, at(0, 0, 0, 0), at(300, 500, 900, 1000));
    spent = addWindow(spent, at(1000, 1000, 5000, 5000), at(1100, 1500, 5900, 6000));

    expect(cpuPerOperation(spent, 10)).toEqual({ clientUs: 40, postgresUs: 100, redisUs: 0, machineIdlePct: 10 });
  });

  it('bounds throughput by the servers’ CPU per operation on every core', () => {
    expect(serverBoundThroughput({ clientUs: 30, postgresUs: 40, redisUs: 10, machineIdlePct: 0 }, 2)).toBe(40_000);
  });

  it('sees this process and the PostgreSQL servers spend CPU on a real query load', async () => {
    const before = cpuSnapshot();
    expect(before).toBeDefined();
    const pool = new Pool({ connectionString: process.env['DATABASE_PRIMARY_URL'], max: 4 });
    try {
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 200; i++) await pool.query('SELECT count(*) FROM generate_series(1, 2000)');
      }));
    } finally {
      await pool.end();
    }
    const spent = cpuPerOperation(addWindow(undefined, before!, cpuSnapshot()!), 800);

    expect(spent.clientUs).toBeGreaterThan(0);
    expect(spent.postgresUs).toBeGreaterThan(0);
    expect(spent.machineIdlePct).toBeGreaterThanOrEqual(0);
    expect(spent.machineIdlePct).toBeLessThan(100);
  });
});
