// Numbers and markdown tables of the results file.
import type { Stats } from './measure';

export const fmt = (s: number): string => (s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));
export const timeCell = (s: Stats): string => (s.runs > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median));
export const mb = (x: number): string => x.toFixed(0);
export const ratio = (x: number): string => `${x.toFixed(2)}×`;
export const int = (n: number): string => n.toLocaleString('en-US');

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
