/**
 * The HR@k chart (`--chart FILE`): one line per score, k = 1 .. N on the x
 * axis, HR@k on the y axis. Plain SVG text, no dependency.
 */
export interface Series {
  name: string;
  /** values[k - 1] = HR@k. */
  values: readonly number[];
}

const W = 720;
const H = 440;
const LEFT = 60;
const RIGHT = 150;
const TOP = 40;
const BOTTOM = 50;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#7f7f7f', '#ff7f0e', '#8c564b', '#e377c2'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The y axis: a step of 1, 2 or 5 times a power of ten giving about five gridlines, and the top, a whole number of steps. */
export function yAxis(series: readonly Series[]): { top: number; step: number } {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  if (max <= 0) return { top: 0.05, step: 0.01 };
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((x) => x >= raw - 1e-12) ?? 10 * pow;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

export function hrChart(series: readonly Series[], title: string): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const { top: yTop, step } = yAxis(series);
  const digits = Math.max(2, -Math.floor(Math.log10(step) + 1e-9));
  const pw = W - LEFT - RIGHT;
  const ph = H - TOP - BOTTOM;
  const x = (k: number): number => LEFT + (n === 1 ? 0 : ((k - 1) / (n - 1)) * pw);
  const y = (v: number): number => TOP + ph - (v / yTop) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  for (let i = 0; i <= Math.round(yTop / step); i++) {
    const v = i * step;
    out.push(`<line x1="${LEFT}" y1="${f(y(v))}" x2="${LEFT + pw}" y2="${f(y(v))}" stroke="#ddd"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(digits)}</text>`);
  }
  for (let k = 1; k <= n; k++) {
    if (k !== 1 && k % 5 !== 0) continue;
    out.push(`<line x1="${f(x(k))}" y1="${TOP + ph}" x2="${f(x(k))}" y2="${TOP + ph + 4}" stroke="black"/>`);
    out.push(`<text x="${f(x(k))}" y="${TOP + ph + 18}" text-anchor="middle">${k}</text>`);
  }
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + ph}" stroke="black"/>`);
  out.push(`<line x1="${LEFT}" y1="${TOP + ph}" x2="${LEFT + pw}" y2="${TOP + ph}" stroke="black"/>`);
  out.push(`<text x="${LEFT + pw / 2}" y="${H - 10}" text-anchor="middle">K (list length)</text>`);
  out.push(`<text x="16" y="${TOP + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + ph / 2})">HR@K</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.values.map((v, j) => `${f(x(j + 1))},${f(y(v))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>${esc(s.name)}</title></polyline>`);
    const ly = TOP + 10 + i * 20;
    out.push(`<line x1="${LEFT + pw + 15}" y1="${ly}" x2="${LEFT + pw + 40}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${LEFT + pw + 46}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
