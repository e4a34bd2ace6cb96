import type { ChaosReport } from './chaos-report.interface';
import type { ErrorCount, PhaseStats } from './recorder';

const CHECK_LABELS: Record<keyof ChaosReport['checks'], string> = {
  lostWrites: 'acknowledged writes lost',
  readYourWritesViolations: 'read-your-writes violations',
  staleCacheReads: 'stale cache reads beyond windows',
  processCrashes: 'process crashes',
  clientsCheckedOutAtEnd: 'clients checked out at end',
};

/** The run as text: must-be-zero checks, then one line per fault, then each fault's errors by type. */
export function formatChaosReport(report: ChaosReport): string {
  const lines: string[] = [];
  lines.push(
    `chaos: ${report.operations} operations, seed ${report.seed}, ${report.callers} callers, ` +
      `${report.multiplexReads > 1 ? `multiplexReads ${report.multiplexReads}, ` : ''}${(report.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push('', 'Check (must be 0)                     count  result');
  for (const [key, label] of Object.entries(CHECK_LABELS) as Array<[keyof ChaosReport['checks'], string]>) {
    const { count, byPhase } = report.checks[key];
    const where = count > 0 && byPhase ? `  (${Object.entries(byPhase).map(([phase, n]) => `${phase} ${n}`).join(', ')})` : '';
    lines.push(`  ${label.padEnd(36)}${String(count).padStart(5)}  ${count === 0 ? 'ok' : 'FAIL'}${where}`);
  }
  lines.push('', `Fault                 started        window   reads ok/tried   avail   ops ok/tried   errors`);
  const rows: Array<{ name: string; window: string; startedAt?: string; stats: PhaseStats; note?: string }> = [
    { name: 'calm (no fault)', window: '-', stats: report.calm },
    ...report.faults.map((fault) => ({
      name: fault.kind,
      window: fault.durationMs === undefined ? '-' : `${(fault.durationMs / 1000).toFixed(1)} s`,
      startedAt: fault.startedAt,
      stats: fault.stats,
      note: fault.skipped,
    })),
  ];
  for (const row of rows) {
    const { stats } = row;
    const availability = stats.reads === 0 ? '-' : `${((100 * stats.readsSucceeded) / stats.reads).toFixed(1)}%`;
    const errors = Object.values(stats.errors).reduce((sum, entry) => sum + entry.count, 0);
    lines.push(
      `  ${row.name.padEnd(20)}${(row.startedAt?.slice(11, 23) ?? '-').padEnd(12)}${row.window.padStart(7)}   ${`${stats.readsSucceeded}/${stats.reads}`.padStart(13)}  ${availability.padStart(6)}  ${`${stats.succeeded}/${stats.operations}`.padStart(13)}  ${String(errors).padStart(7)}${row.note ? `  (skipped: ${row.note})` : ''}`,
    );
  }
  lines.push('', 'Errors by phase and type (operations hit; sample message)');
  for (const row of rows) {
    for (const [type, entry] of sortedErrors(row.stats.errors)) lines.push(`  ${row.name}: ${describe(type, entry)}`);
  }
  const expected = sortedErrors(report.info.expectedErrors);
  if (expected.length > 0) {
    lines.push('', 'Expected failures (bad SQL, out-of-range parameter)');
    for (const [type, entry] of expected) lines.push(`  ${describe(type, entry)}`);
  }
  lines.push(
    '',
    `acknowledged writes ${report.info.acknowledgedWrites}, in doubt ${report.info.inDoubtWrites}, hung calls ${report.info.hungOperations}, ` +
      `stale tokenless cache misses ${report.info.staleTokenlessMisses} (info)`,
    `staleness windows: cross-instance ${report.info.crossInstanceWindowMs} ms, during a Redis outage ${report.info.redisOutageWindowMs} ms`,
  );
  for (const success of report.info.unexpectedSuccesses) lines.push(`unexpected success [${success.phase}]: ${success.detail}`);
  for (const note of report.info.notes) lines.push(`note: ${note}`);
  for (const [key, label] of Object.entries(CHECK_LABELS) as Array<[keyof ChaosReport['checks'], string]>) {
    for (const sample of report.checks[key].samples.slice(0, 5)) lines.push(`${label}: ${JSON.stringify(sample)}`);
  }
  lines.push('', report.passed ? 'PASSED: every must-be-zero check is 0.' : 'FAILED: a must-be-zero check is not 0 (see above).');
  return lines.join('\n');
}

function sortedErrors(errors: Record<string, ErrorCount>): Array<[string, ErrorCount]> {
  return Object.entries(errors).sort(([, a], [, b]) => b.count - a.count);
}

function describe(type: string, entry: ErrorCount): string {
  const operations = Object.entries(entry.byOperation)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const when = entry.firstAt === entry.lastAt ? `at ${entry.firstAt.slice(11, 23)}` : `${entry.firstAt.slice(11, 23)}..${entry.lastAt.slice(11, 23)}`;
  return `${type} x${entry.count} (${operations}; ${when}): ${entry.sample}`;
}
