/**
 * The evaluator's table: `--format tsv` (a header row, one row per score) or a
 * readable one. Beside each score's metrics, the paired bootstrap's 95%
 * interval of its difference to count on HR@K and MRR@K (`-` without count).
 */
import { Interval, PairedDifference } from './bootstrap';
import { Metrics } from './metrics';

export type ReportFormat = 'table' | 'tsv';

export type ReportRow = Pick<Metrics, 'name' | 'hr' | 'mrr' | 'coverage' | 'popularity'> & { vsCount: PairedDifference | null };

function metricColumns(k: number): string[] {
  return ['score', `hr@${k}`, `mrr@${k}`, 'coverage', 'popularity'];
}

function metricValues(m: ReportRow, digits: number): string[] {
  return [m.name, ...[m.hr, m.mrr, m.coverage, m.popularity].map((x) => x.toFixed(digits))];
}

function signed(x: number, digits: number): string {
  const t = x.toFixed(digits);
  // -0.0000 is a rounded zero: no sign either way.
  return Number(t) === 0 ? t.replace('-', '') : x > 0 ? `+${t}` : t;
}

export function formatTsv(rows: readonly ReportRow[], k: number): string {
  const header = [...metricColumns(k), ...[`hr@${k}`, `mrr@${k}`].flatMap((m) => [`${m}_vs_count_low`, `${m}_vs_count_high`])];
  const ends = (i: Interval | undefined): string[] => (i === undefined ? ['-', '-'] : [i.low, i.high].map((x) => signed(x, 6).replace('+', '')));
  const body = rows.map((m) => [...metricValues(m, 6), ...ends(m.vsCount?.hrInterval), ...ends(m.vsCount?.mrrInterval)]);
  return [header, ...body].map((r) => r.join('\t') + '\n').join('');
}

/** Names left-aligned, numbers right-aligned, columns two spaces apart. */
export function formatTable(rows: readonly ReportRow[], k: number): string {
  const interval = (i: Interval | undefined): string => (i === undefined ? '-' : `[${signed(i.low, 4)}, ${signed(i.high, 4)}]`);
  const table = [
    [...metricColumns(k), `hr@${k} - count (95%)`, `mrr@${k} - count (95%)`],
    ...rows.map((m) => [...metricValues(m, 4), interval(m.vsCount?.hrInterval), interval(m.vsCount?.mrrInterval)]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd() + '\n')
    .join('');
}

export function formatReport(rows: readonly ReportRow[], k: number, format: ReportFormat): string {
  return format === 'tsv' ? formatTsv(rows, k) : formatTable(rows, k);
}
