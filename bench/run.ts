// The benchmark (`npm run bench`): our executables and the whole job against
// their peers on the real data in ../shared/data, plus a scaling run.
// Writes bench/RESULTS.md and bench/scaling.svg. See bench/README.md; the
// options are in bench/options.ts (`npm run bench -- --help`).
//
// Modules: options.ts (command line), measure.ts (timing a command, stats),
// verify.ts (output checks), baseline.ts (--baseline), sections/{exec,job,scale,store}.ts,
// results.ts (the results file).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAfterMd, type BeforeAfter } from './baseline';
import type { Goal } from './goals';
import { fail } from './log';
import { parseOptions } from './options';
import { DIST } from './paths';
import { resultsMd, writeResults } from './results';
import { closeScratch, openScratch, scratch } from './scratch';
import { sectionExec } from './sections/exec';
import { sectionJob } from './sections/job';
import { sectionScale } from './sections/scale';
import { sectionStore } from './sections/store';
import { q, sh } from './shell';

function main(): void {
  const argv = process.argv.slice(2);
  const o = parseOptions(argv);
  for (const f of ['pairs-reducer.js', 'sum-reducer.js', 'identity-mapper.js', 'partition.js']) {
    if (!existsSync(join(DIST, f))) fail(`dist/${f} missing: run npm run build`);
  }
  const movielens = join(o.data, 'movielens-100k-u.data.tsv');
  if (!existsSync(movielens)) fail(`no data in ${o.data} (see ../shared/data/README.md)`);
  openScratch();
  const started = new Date();
  const goals: Goal[] = [];
  const beforeAfter: BeforeAfter[] = [];
  const sections: string[] = [];
  let svg: string | undefined;
  try {
    const views = scratch('ml-views.tsv');
    sh(`cut -f1,2 ${q(movielens)} > ${q(views)}`);
    if (o.only.has('exec')) sections.push(sectionExec(o, views, goals, beforeAfter));
    if (o.only.has('job')) sections.push(sectionJob(o, views, goals, beforeAfter));
    if (o.only.has('scale')) {
      const s = sectionScale(o, goals);
      sections.push(s.md);
      svg = s.svg;
    }
    if (o.only.has('store')) sections.push(sectionStore(o, goals));
  } finally {
    closeScratch(o.keep);
  }
  if (o.baseline !== undefined && beforeAfter.length > 0) sections.unshift(beforeAfterMd(o.baseline, beforeAfter));
  writeResults(o, resultsMd(o, argv, started, goals, sections), svg);
}

main();
