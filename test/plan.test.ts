/** The plan (src/job/plan.ts) as a pure function of the job definition: a new phase needs nothing but its spec. */
import { BUNDLES, JobSpec, jobSpec, PhaseSpec, phaseStreamingArgs } from '../src/job/phases';
import { checkJob, planRows, renderPlan } from '../src/job/plan';

const bundlePath = (b: string): string => `/d/${b}`;

/** The default job with one more phase: a popularity count over the views, whose one part phase 2 reads as a side file. */
function withExtraPhase(): JobSpec {
  const job = jobSpec({ top: 5 });
  const [phase1, phase2] = job.phases;
  const popularity: PhaseSpec = {
    ...phase1,
    id: 'popularity',
    name: 'viewed-products popularity: views per product',
    output: 'popularity',
    mapper: { bundle: 'identity-mapper.js', args: ['--views'] },
    reducer: { bundle: 'popularity-reducer.js', args: [] },
    bundles: ['identity-mapper.js', 'popularity-reducer.js'],
    reducerMemoryOption: undefined,
    fixedReducers: 1,
    spaceFactor: 1,
  };
  const reader: PhaseSpec = { ...phase2, sideFiles: [{ name: 'popularity.tsv', from: 'popularity', part: 'part-00000' }] };
  return { ...job, phases: [phase1, popularity, reader] };
}

describe('a job with an extra phase', () => {
  test('renders through the plan: its own block, in order, and the side file of the phase that reads it', () => {
    const text = renderPlan(planRows(withExtraPhase(), bundlePath));
    expect(text.match(/^phase\t.*$/gm)).toEqual(['phase\t1', 'phase\tpopularity', 'phase\t2']);
    expect(text).toContain(
      'phase\tpopularity\noutput\tpopularity\ninput\tviews\nspace-factor\t1\n' +
        'mapper\tnode\t/d/identity-mapper.js\t--views\nreducer\tnode\t/d/popularity-reducer.js\nkey-fields\t1\nreducers\t1\n',
    );
    expect(text).toContain('side-file\tpopularity.tsv\tpopularity\tpart-00000\n');
    expect(text.startsWith('views-phase\t1\nresult\t2\nfinish\tline\tmerge\nfinish\tkey\tsort\n')).toBe(true);
  });

  test('its streaming arguments: the views in, its folder out, and the reader ships its part', () => {
    const job = withExtraPhase();
    const at = { views: ['/in'], output: (p: PhaseSpec) => `/w/${p.output}`, bundleUris: bundlePath };
    const pop = phaseStreamingArgs(job, job.phases[1], at);
    expect(pop.slice(pop.indexOf('-input'), pop.indexOf('-output') + 2)).toEqual(['-input', '/in', '-output', '/w/popularity']);
    const reader = phaseStreamingArgs(job, job.phases[2], at);
    expect(reader[reader.indexOf('-files') + 1]).toBe('/d/identity-mapper.js,/d/sum-reducer.js,/w/popularity/part-00000#popularity.tsv');
  });
});

describe('checkJob refuses a graph the runners cannot run', () => {
  const job = jobSpec({ score: 'llr' });
  const [p1, sup, p2] = job.phases;
  test.each<[string, JobSpec, RegExp]>([
    ['a phase reading a later one', { ...job, phases: [p1, { ...p2 }, sup] }, /phase 2: side file supports.tsv comes from phase supports, which does not run before it/],
    ['two phases with one id', { ...job, phases: [p1, { ...sup, id: '1' }, p2] }, /two phases are called 1/],
    ['an id that is not a word', { ...job, phases: [{ ...p1, id: 'a b' }, sup, p2] }, /phase id "a b" is not one word/],
    ['two phases with one output', { ...job, phases: [p1, { ...sup, output: 'phase1' }, p2] }, /output "phase1" is not a word of its own/],
    ['an output the runners use for something else', { ...job, phases: [p1, { ...sup, output: 'logs' }, p2] }, /output "logs" is not a word of its own/],
    ['a side file of a phase whose reducers --reducers sets', { ...job, phases: [p1, { ...sup, fixedReducers: undefined }, p2] }, /needs phase supports to have a fixed number of reducers/],
    ['a phase that reads nothing', { ...job, phases: [p1, sup, { ...p2, inputs: [] }] }, /phase 2 reads nothing/],
    ['a views phase that does not read the views', { ...job, viewsPhase: '2' }, /the views phase 2 does not read the views/],
    ['a result phase the job lacks', { ...job, result: { ...job.result, phase: '3' } }, /the result phase 3 is not a phase of the job/],
  ])('%s', (_name, bad, message) => {
    expect(() => checkJob(bad)).toThrow(message);
    expect(() => planRows(bad)).toThrow(message);
  });

  test('every shape of the real job passes', () => {
    for (const score of ['count', 'cosine', 'jaccard', 'llr'] as const) {
      for (const top of [0, 3]) expect(() => checkJob(jobSpec({ score, top }))).not.toThrow();
    }
  });
});

describe('the plan', () => {
  test('the result: merged by a runner whose shuffle sorts whole lines (local), sorted by one that sorts by key (Hadoop); no runner named', () => {
    expect(planRows(jobSpec(), bundlePath).slice(0, 4)).toEqual([
      ['views-phase', '1'],
      ['result', '2'],
      ['finish', 'line', 'merge'],
      ['finish', 'key', 'sort'],
    ]);
    expect(planRows(jobSpec()).some((r) => r[0] === 'mapper')).toBe(false);
  });

  test('a word the bash reader would lose or split is refused', () => {
    expect(() => renderPlan([['mapper', 'node', '']])).toThrow(/empty/);
    expect(() => renderPlan([['mapper', 'a\tb']])).toThrow(/TAB/);
    expect(() => planRows(jobSpec(), (b) => `/a\tb/${b}`)).not.toThrow();
    expect(() => renderPlan(planRows(jobSpec(), (b) => `/a\tb/${b}`))).toThrow(/TAB/);
  });

  test('BUNDLES: what any shape of the job runs, the supports phase\'s identity reducer too', () => {
    expect(BUNDLES).toEqual(['identity-mapper.js', 'pairs-reducer.js', 'sum-reducer.js', 'identity-reducer.js']);
  });
});
