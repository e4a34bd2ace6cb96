import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load-generator';

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
    '| workload | client | callers | ops/s | p50 µs | p90 µs | p99 µs | ratio | errors | notes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const lines = report.rows.map(
    (row) =>
      `| ${row.workload} | ${row.client} | ${row.callers} | ${Math.round(row.throughput)} | ${row.p50Us} | ${row.p90Us} | ${row.p99Us} | ` +
      `${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`} | ${row.errors} | ${row.notes ?? ''} |`,
  );
  const extra = Object.entries(report.extra).map(([key, value]) => `- ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [...header, ...lines, '', ...extra, ''].join('\n');
}

export function writeReport(report: BenchReport, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const markdown = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, toMarkdown(report));
  return { json, markdown };
}
