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

/** The y axis' top: the highest value rounded up to a step of 0.05 (at least 0.05). */
export function axisTop(series: readonly Series[]): number {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  return Math.max(0.05, Math.ceil(max / 0.05 - 1e-9) * 0.05);
}

export function hrChart(series: readonly Series[], title: string): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const yTop = axisTop(series);
  const pw = W - LEFT - RIGHT;
  const ph = H - TOP - BOTTOM;
  const x = (k: number): number => LEFT + (n === 1 ? 0 : ((k - 1) / (n - 1)) * pw);
  const y = (v: number): number => TOP + ph - (v / yTop) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  const ySteps = Math.round(yTop / 0.05);
  const yEvery = Math.ceil(ySteps / 10);
  for (let i = 0; i <= ySteps; i += yEvery) {
    const v = i * 0.05;
    out.push(`<line x1="${LEFT}" y1="${f(y(v))}" x2="${LEFT + pw}" y2="${f(y(v))}" stroke="#ddd"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
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
