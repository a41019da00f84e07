/** The evaluator's table: `--format tsv` (a header row, one row per score) or a readable one. */
import { Metrics } from './metrics';

export type ReportFormat = 'table' | 'tsv';

function columns(k: number): string[] {
  return ['score', `hr@${k}`, `mrr@${k}`, 'coverage', 'popularity'];
}

function values(m: Metrics, digits: number): string[] {
  return [m.name, ...[m.hr, m.mrr, m.coverage, m.popularity].map((x) => x.toFixed(digits))];
}

export function formatTsv(rows: readonly Metrics[], k: number): string {
  return [columns(k), ...rows.map((m) => values(m, 6))].map((r) => r.join('\t') + '\n').join('');
}

/** Names left-aligned, numbers right-aligned, columns two spaces apart. */
export function formatTable(rows: readonly Metrics[], k: number): string {
  const table = [columns(k), ...rows.map((m) => values(m, 4))];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd() + '\n')
    .join('');
}

export function formatReport(rows: readonly Metrics[], k: number, format: ReportFormat): string {
  return format === 'tsv' ? formatTsv(rows, k) : formatTable(rows, k);
}
