// A small hand-written SVG line chart (no dependencies) for the benchmark.

export interface Series {
  name: string;
  x: number[];
  y: number[];
  color: string;
}

export interface Panel {
  title: string;
  xLabel: string;
  series: Series[];
  hline?: { y: number; label: string };
}

const W = 460; // panel width
const H = 340; // panel height
const M = { left: 58, right: 16, top: 34, bottom: 110 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A "nice" axis maximum and step covering max with about 5 ticks. */
export function niceAxis(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag) as number;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

const num = (v: number, step: number): string => {
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return v.toFixed(digits);
};

function panel(p: Panel, ox: number, oy: number): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xs = p.series.flatMap((s) => s.x);
  const ys = p.series.flatMap((s) => s.y).concat(p.hline ? [p.hline.y * 1.05] : []);
  const xa = niceAxis(Math.max(...xs));
  const ya = niceAxis(Math.max(...ys));
  const X = (v: number): number => ox + M.left + (v / xa.top) * pw;
  const Y = (v: number): number => oy + M.top + ph - (v / ya.top) * ph;
  const out: string[] = [];
  out.push(`<text x="${ox + M.left + pw / 2}" y="${oy + 20}" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`);
  for (let v = 0; v <= ya.top + 1e-9; v += ya.step) {
    out.push(`<line x1="${X(0)}" y1="${Y(v)}" x2="${X(xa.top)}" y2="${Y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${X(0) - 6}" y="${Y(v) + 4}" text-anchor="end">${num(v, ya.step)}</text>`);
  }
  for (let v = 0; v <= xa.top + 1e-9; v += xa.step) {
    out.push(`<line x1="${X(v)}" y1="${Y(0)}" x2="${X(v)}" y2="${Y(0) + 4}" stroke="#333"/>`);
    out.push(`<text x="${X(v)}" y="${Y(0) + 18}" text-anchor="middle">${num(v, xa.step)}</text>`);
  }
  out.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(xa.top)}" y2="${Y(0)}" stroke="#333"/>`);
  out.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(0)}" y2="${Y(ya.top)}" stroke="#333"/>`);
  out.push(`<text x="${X(xa.top / 2)}" y="${Y(0) + 36}" text-anchor="middle">${esc(p.xLabel)}</text>`);
  if (p.hline) {
    out.push(`<line x1="${X(0)}" y1="${Y(p.hline.y)}" x2="${X(xa.top)}" y2="${Y(p.hline.y)}" stroke="#d62728" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${X(xa.top) - 4}" y="${Y(p.hline.y) - 5}" text-anchor="end" fill="#d62728">${esc(p.hline.label)}</text>`);
  }
  p.series.forEach((s, i) => {
    const pts = s.x.map((x, j) => `${X(x).toFixed(1)},${Y(s.y[j] as number).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const pt of pts) {
      const [cx, cy] = pt.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`);
    }
    const ly = Y(0) + 56 + i * 16;
    out.push(`<line x1="${X(0)}" y1="${ly - 4}" x2="${X(0) + 20}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${X(0) + 26}" y="${ly}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** Panels side by side under a title. */
export function chartSvg(title: string, panels: Panel[]): string {
  const width = W * panels.length;
  const height = H + 30;
  const body = panels.map((p, i) => panel(p, i * W, 30)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
