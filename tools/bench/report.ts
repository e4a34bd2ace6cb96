import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load-generator';
import { memoryLine, MemoryReport } from './memory-report';
import type { CpuPerOperation } from './server-cpu';

export interface BenchRow extends LoadResult {
  workload: string;
  client: string;
  callers: number;
  /** Throughput relative to the workload's baseline row at the same caller count. */
  ratio?: number;
  notes?: string;
}

export interface BenchReport {
  ranAt: string;
  machine: string;
  node: string;
  postgres: string;
  rows: BenchRow[];
  extra: Record<string, unknown>;
  memory?: MemoryReport;
}

export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** Fills `ratio` against the row named `baseline` with the same workload and caller count. */
export function addRatios(rows: BenchRow[], baseline: (row: BenchRow) => boolean): void {
  for (const row of rows) {
    const base = rows.find((candidate) => candidate.workload === row.workload && candidate.callers === row.callers && baseline(candidate));
    if (base) row.ratio = row.throughput / base.throughput;
  }
}

export function toMarkdown(report: BenchReport): string {
  const header = [
    `Ran ${report.ranAt} on ${report.machine}, Node ${report.node}, ${report.postgres}.`,
    '',
    '| workload | client | callers | ops/s | p50 µs | p90 µs | p99 µs | ratio | errors | CPU µs/op: client · postgres (of which replication) · redis (idle) | notes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  const lines = report.rows.map(
    (row) =>
      `| ${row.workload} | ${row.client} | ${row.callers} | ${Math.round(row.throughput)} | ${row.p50Us} | ${row.p90Us} | ${row.p99Us} | ` +
      `${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`} | ${row.errors} | ${cpuCell(row.cpu)} | ${row.notes ?? ''} |`,
  );
  const extra = Object.entries(report.extra).map(([key, value]) => `- ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const memory = report.memory ? [`- memory: ${memoryLine(report.memory)}`] : [];
  return [...header, ...lines, '', ...extra, ...memory, ''].join('\n');
}

/** One row's CPU split: where each operation's CPU went while it ran, and how idle the machine stayed. */
function cpuCell(cpu: CpuPerOperation | undefined): string {
  if (!cpu) return '';
  const us = (value: number): string => (value < 10 ? value.toFixed(1) : Math.round(value).toString());
  return `${us(cpu.clientUs)} · ${us(cpu.postgresUs)} (${us(cpu.replicationUs)}) · ${us(cpu.redisUs)} (${Math.round(cpu.machineIdlePct)}%)`;
}

/** Writes `<name>.json`, `<name>.md` and `<name>.svg` under `dir`. */
export function writeReport(report: BenchReport, svg: string, dir: string, name: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = { json: `${JSON.stringify(report, null, 2)}\n`, md: toMarkdown(report), svg };
  return Object.entries(files).map(([extension, text]) => {
    const path = join(dir, `${name}.${extension}`);
    writeFileSync(path, text);
    return path;
  });
}
