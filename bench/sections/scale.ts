// Section 3 (`scale`): the job and each reducer on the Diginetica sample's
// sessions resampled 1×, 2×, 4×, …; the table and the chart (scaling.svg).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartSvg, type Series } from '../chart';
import { int, mb, ratio, table, timeCell } from '../format';
import { GOAL_RSS_MB, type Goal } from '../goals';
import { log } from '../log';
import { bench, runOnce, type Stats } from '../measure';
import type { Options } from '../options';
import { DIST, ROOT } from '../paths';
import { expectedPairs, parseDiginetica, resample, type Session } from '../scaledata';
import { scratch } from '../scratch';
import { q, sh, sortFile } from '../shell';
import { DIGINETICA, facts, verify } from '../verify';

interface ScalePoint {
  factor: number;
  views: number;
  pairs: number;
  job: Stats;
  p1: Stats;
  p2: Stats;
}

export function sectionScale(o: Options, goals: Goal[]): { md: string; svg: string } {
  log('section 3: scaling on resampled Diginetica sessions');
  const sessions: Session[] = parseDiginetica(readFileSync(join(o.data, 'diginetica-sample-train-item-views.csv')));
  const points: ScalePoint[] = [];
  for (const factor of o.scales) {
    const views = scratch(`digi-${factor}x.tsv`);
    const sample = resample(sessions, factor, 20161124);
    writeFileSync(views, sample.text);
    const pairs = expectedPairs(sample.sessions, 1000);
    log(`scale ${factor}x: ${int(sample.views)} views, ${int(pairs)} pairs`);
    const outDir = scratch('scale-out');
    const job = bench(`${factor}x run-job.sh`, o.scaleRuns, { cmd: [join(ROOT, 'run-job.sh'), '--input', views, '--output', outDir] }, () =>
      rmSync(outDir, { recursive: true, force: true }),
    );
    const result = join(outDir, 'viewed_products.tsv');
    const f = facts(result);
    if (factor === 1) {
      verify(`1x = the sample: ${int(f.rows)} rows, sum ${int(f.sum)}`, f.rows === DIGINETICA.rows && f.sum === DIGINETICA.sum);
    }
    verify(`${factor}x: weights sum to the ${int(pairs)} emitted pairs`, f.sum === pairs, `(got ${f.sum})`);
    // the reducers alone on this input
    const p1in = scratch('scale-p1.in');
    const p2in = scratch('scale-p2.in');
    sh(`sort -o ${q(p1in)} ${q(views)}`);
    runOnce({ cmd: [join(DIST, 'pairs-reducer.js'), '--no-combine'], stdin: p1in, stdout: scratch('scale-raw') });
    sortFile(scratch('scale-raw'), p2in);
    const p1 = bench(`${factor}x pairs-reducer.js`, o.scaleRuns, { cmd: [join(DIST, 'pairs-reducer.js')], stdin: p1in });
    const p2 = bench(`${factor}x sum-reducer.js`, o.scaleRuns, { cmd: [join(DIST, 'sum-reducer.js')], stdin: p2in });
    points.push({ factor, views: sample.views, pairs, job: job.stats, p1: p1.stats, p2: p2.stats });
    for (const p of [views, p1in, p2in, scratch('scale-raw')]) rmSync(p, { force: true });
  }

  const first = points[0];
  const last = points[points.length - 1];
  if (first !== undefined && last !== undefined && last !== first) {
    for (const [name, get] of [
      ['pairs-reducer.js', (p: ScalePoint) => p.p1.rssMB],
      ['sum-reducer.js', (p: ScalePoint) => p.p2.rssMB],
    ] as const) {
      const grow = get(last) / get(first);
      goals.push({
        goal: `${name}: flat memory from ${first.factor}× to ${last.factor}× (${int(first.pairs)} → ${int(last.pairs)} pairs)`,
        measured: `${mb(get(first))} → ${mb(get(last))} MB (${ratio(grow)})`,
        met: grow < 1.25,
      });
    }
  }
  return { md: scaleMd(points), svg: scaleSvg(points) };
}

function scaleMd(points: ScalePoint[]): string {
  return [
    '## 3. Scaling: Diginetica sessions resampled',
    '',
    `The Diginetica sample (2,986 sessions) as views; at k× it is the sample plus k−1 resamples of its sessions ` +
      `(drawn with replacement, seeded, each with a new path id), so products stay the same and pairs grow ` +
      `linearly. 1× reproduces the data facts (${int(DIGINETICA.rows)} rows, sum ${int(DIGINETICA.sum)}); at every ` +
      `scale the result's weights sum to the emitted pairs. Job = \`run-job.sh\` (peak RSS = its largest process, ` +
      `which includes GNU sort); the reducers alone on the sorted inputs of that scale.`,
    '',
    '![time and peak memory against emitted pairs](scaling.svg)',
    '',
    table(
      ['scale', 'views', 'emitted pairs', 'job wall s', 'job µs/pair', 'job peak RSS MB', 'pairs-reducer s', 'pairs-reducer RSS MB', 'sum-reducer s', 'sum-reducer RSS MB'],
      points.map((p) => [
        `${p.factor}×`,
        int(p.views),
        int(p.pairs),
        timeCell(p.job),
        ((p.job.median / p.pairs) * 1e6).toFixed(2),
        mb(p.job.rssMB),
        timeCell(p.p1),
        mb(p.p1.rssMB),
        timeCell(p.p2),
        mb(p.p2.rssMB),
      ]),
    ),
  ].join('\n');
}

function scaleSvg(points: ScalePoint[]): string {
  const last = points[points.length - 1];
  const x = points.map((p) => p.pairs / 1e6);
  const timeSeries: Series[] = [
    { name: 'whole job (run-job.sh)', x, y: points.map((p) => p.job.median), color: '#1f77b4' },
    { name: 'pairs-reducer.js alone', x, y: points.map((p) => p.p1.median), color: '#ff7f0e' },
    { name: 'sum-reducer.js alone', x, y: points.map((p) => p.p2.median), color: '#2ca02c' },
  ];
  const rssSeries: Series[] = [
    { name: 'whole job, largest process', x, y: points.map((p) => p.job.rssMB), color: '#1f77b4' },
    { name: 'pairs-reducer.js', x, y: points.map((p) => p.p1.rssMB), color: '#ff7f0e' },
    { name: 'sum-reducer.js', x, y: points.map((p) => p.p2.rssMB), color: '#2ca02c' },
  ];
  return chartSvg(
    'Scaling on resampled Diginetica sessions (1×–' + `${last?.factor ?? 1}×)`,
    [
      { title: 'wall time (s, median)', xLabel: 'emitted pairs (millions)', series: timeSeries },
      { title: 'peak RSS (MB)', xLabel: 'emitted pairs (millions)', series: rssSeries, hline: { y: GOAL_RSS_MB, label: `goal < ${GOAL_RSS_MB} MB` } },
    ],
  );
}
