/** job-plan.js plan, hadoop-args and defaults: the runners' view of the one job definition. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_PAIRS_OPTIONS } from '../src/core/pairs/options';
import { commandWords, DEFAULT_SETTINGS, phaseSpecs } from '../src/job/phases';

const DIST = path.join(__dirname, '..', 'dist');

function plan(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines of phase `id` in a plan (after its phase line, up to the next). */
function phaseLines(text: string, id: string): string {
  const blocks = text.split(/^phase\t/m).slice(1);
  const block = blocks.find((b) => b.startsWith(`${id}\n`));
  return block === undefined ? '' : block.slice(id.length + 1);
}

describe('job-plan.js plan --files-dir DIR (with the local runner\'s commands)', () => {
  test('the default job: the views phase, then phase 2 over its output; parts merged into the result', () => {
    const r = plan('plan', '--files-dir', '/d', '--max-path-products', '7', '--no-combine');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'views-phase\t1\nresult\t2\nfinish\tline\tmerge\nfinish\tkey\tsort\n' +
        'phase\t1\noutput\tphase1\ninput\tviews\nspace-factor\t2\n' +
        'mapper\tnode\t/d/identity-mapper.js\t--views\n' +
        'reducer\tnode\t/d/pairs-reducer.js\t--max-path-products=7\t--no-combine\n' +
        'key-fields\t1\n' +
        'phase\t2\noutput\tphase2\ninput\tphase\t1\nspace-factor\t3\n' +
        'mapper\tnode\t/d/identity-mapper.js\n' +
        'reducer\tnode\t/d/sum-reducer.js\n' +
        'combiner\tnode\t/d/sum-reducer.js\t--role=combiner\n' +
        'key-fields\t2\n' +
        'map-copies\n',
    );
  });

  test('combining: the pairs reducer takes its share of --memory with --memory-mb (the sum reducer streams: none)', () => {
    const text = plan('plan', '--files-dir', '/d').stdout;
    expect(phaseLines(text, '1')).toMatch(/\nkey-fields\t1\nreducer-memory\t--memory-mb\n$/);
    expect(phaseLines(text, '2')).not.toContain('reducer-memory');
    expect(phaseLines(plan('plan', '--files-dir', '/d', '--score', 'llr', '--top', '5').stdout, '2')).not.toContain('reducer-memory');
  });

  test('a score: phase 1 writes the supports, the supports phase gathers them into one part, phase 2 drops them and reads that part as a side file', () => {
    const text = plan('plan', '--files-dir', '/d', '--score', 'llr', '--top', '20', '--min-count', '2').stdout;
    expect(text.match(/^phase\t.*$/gm)).toEqual(['phase\t1', 'phase\tsupports', 'phase\t2']);
    expect(phaseLines(text, '1')).toContain('--supports\n');
    expect(phaseLines(text, 'supports')).toBe(
      'output\tsupports\ninput\tphase\t1\nspace-factor\t1\n' +
        'mapper\tnode\t/d/identity-mapper.js\t--diagonal\n' +
        'reducer\tnode\t/d/identity-reducer.js\n' +
        'key-fields\t1\nreducers\t1\n',
    );
    expect(phaseLines(text, '2')).toBe(
      'output\tphase2\ninput\tphase\t1\nside-file\tsupports.tsv\tsupports\tpart-00000\nspace-factor\t3\n' +
        'mapper\tnode\t/d/identity-mapper.js\t--off-diagonal\n' +
        'reducer\tnode\t/d/sum-reducer.js\t--min-count=2\t--score=llr\t--supports=supports.tsv\t--top=20\n' +
        'combiner\tnode\t/d/sum-reducer.js\t--role=combiner\n' +
        'key-fields\t2\npartition-fields\t1\nranges-if-sorted\n',
    );
  });

  test('count with --top: no supports phase, phase 2 partitioned by source', () => {
    const text = plan('plan', '--files-dir', '/d', '--top', '5').stdout;
    expect(text.match(/^phase\t.*$/gm)).toEqual(['phase\t1', 'phase\t2']);
    expect(phaseLines(text, '2')).toContain('partition-fields\t1\n');
  });

  test("the default path cap is the reducer's own", () => {
    expect(phaseLines(plan('plan', '--files-dir', '/d').stdout, '1')).toContain(
      `--max-path-products=${DEFAULT_PAIRS_OPTIONS.maxPathProducts}\n`,
    );
  });

  test('leading zeros are taken, as run-job.sh always took them', () => {
    const text = plan('plan', '--files-dir', '/d', '--top', '007', '--min-count', '02', '--max-path-products', '0010').stdout;
    expect(phaseLines(text, '1')).toContain('--max-path-products=10\n');
    expect(phaseLines(text, '2')).toContain('--min-count=2\t--top=7\n');
  });
});

describe('job-plan.js plan without --files-dir (the cluster runners)', () => {
  test('the graph and both finishes, no task commands', () => {
    const r = plan('plan', '--score', 'cosine');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'views-phase\t1\nresult\t2\nfinish\tline\tmerge\nfinish\tkey\tsort\n' +
        'phase\t1\noutput\tphase1\ninput\tviews\nspace-factor\t2\n' +
        'phase\tsupports\noutput\tsupports\ninput\tphase\t1\nspace-factor\t1\n' +
        'phase\t2\noutput\tphase2\ninput\tphase\t1\nside-file\tsupports.tsv\tsupports\tpart-00000\nspace-factor\t3\n',
    );
  });
});

describe('job-plan.js checks the job options with run-job.sh\'s messages (exit 2: its usage error)', () => {
  test.each([
    [['--reducers', '0'], '--reducers must be a positive whole number'],
    [['--reducers', '01'], '--reducers must be a positive whole number'],
    [['--reducers', '99999999999999999999'], '--reducers must be a positive whole number'],
    [['--max-path-products', '-1'], '--max-path-products must be a whole number'],
    [['--max-path-products', '1000000000000000'], '--max-path-products must be below 10^15'],
    [['--score', 'foo'], '--score must be count, cosine, jaccard, llr or proximity'],
    [['--top', '-1'], '--top must be a whole number below 10^9 (0 = all)'],
    [['--top', 'x'], '--top must be a whole number below 10^9 (0 = all)'],
    [['--top', '1000000000'], '--top must be a whole number below 10^9 (0 = all)'],
    [['--min-count', '0'], '--min-count must be a positive whole number below 10^15'],
    [['--min-count', '000'], '--min-count must be a positive whole number below 10^15'],
    [['--min-count', '1000000000000000'], '--min-count must be a positive whole number below 10^15'],
    [['--node', 'my node'], '--node must be one word (no spaces)'],
    [['--reducers', 'x', '--score', 'foo'], '--reducers must be a positive whole number'],
  ])('%j: %s', (args, message) => {
    const r = plan('plan', '--files-dir', '/d', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`job-plan: ${message}\n`);
    expect(r.stdout).toBe('');
  });

  test.each([
    [['--runner', 'local'], 'unknown option --runner'],
    [['--files-dir', '/d', '--bogus'], 'unknown option --bogus'],
  ])('bad arguments %j exit 2: %s', (args, message) => {
    const r = plan('plan', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test.each([
    ['--top 999999999 --min-count 999999999999999 --max-path-products 999999999999999', 0],
    ['--reducers 1 --top 0 --min-count 1 --max-path-products 0 --score jaccard --node nodejs', 0],
  ])('the bounds themselves pass: %s', (args, code) => {
    expect(plan('plan', ...args.split(' ')).code).toBe(code);
  });
});

describe('job-plan.js hadoop-args', () => {
  const args = (...more: string[]): string[] => {
    const r = plan('hadoop-args', '--input', '/in/a', '--input', '/in/b', '--base', '/w', '--files-dir', '/d', ...more);
    expect(r.code).toBe(0);
    return r.stdout.slice(0, -1).split('\0');
  };
  const option = (a: string[], name: string): string[] => a.flatMap((x, i) => (x === name ? [a[i + 1]] : []));

  test('inputs and outputs follow the graph: the views phase reads --input, later phases what earlier ones wrote under --base', () => {
    expect(option(args('--phase', '1'), '-input')).toEqual(['/in/a', '/in/b']);
    expect(option(args('--phase', '1'), '-output')).toEqual(['/w/phase1']);
    expect(option(args('--phase', '2'), '-input')).toEqual(['/w/phase1']);
    expect(option(args('--phase', '2'), '-output')).toEqual(['/w/phase2']);
  });

  test('a side file is its phase\'s part, named as --side-base says (a full URI on a cluster)', () => {
    const a = args('--phase', '2', '--score', 'llr', '--side-base', 'hdfs://nn:9000/w');
    expect(option(a, '-files')).toEqual(['/d/identity-mapper.js,/d/sum-reducer.js,hdfs://nn:9000/w/supports/part-00000#supports.tsv']);
    expect(option(args('--phase', 'supports', '--score', 'llr'), '-output')).toEqual(['/w/supports']);
    expect(option(args('--phase', 'supports', '--score', 'llr'), '-reducer')).toEqual(['node identity-reducer.js']);
  });

  test('a phase the job lacks, or bad settings, exit 2', () => {
    const r = plan('hadoop-args', '--phase', 'supports', '--input', '/in', '--base', '/w', '--files-dir', '/d');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('job-plan: this job has no phase supports (its phases: 1, 2)\n');
    expect(plan('hadoop-args', '--phase', '1', '--input', '/in', '--base', '/w', '--files-dir', '/d', '--top', 'x').code).toBe(2);
  });
});

describe('job-plan.js defaults', () => {
  test('one name<TAB>value line per setting default', () => {
    const r = plan('defaults');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `reducers\t${DEFAULT_SETTINGS.reducers}\nmax-path-products\t${DEFAULT_SETTINGS.maxPathProducts}\nnode\t${DEFAULT_SETTINGS.node}\n` +
        `score\t${DEFAULT_SETTINGS.score}\ntop\t${DEFAULT_SETTINGS.top}\nmin-count\t${DEFAULT_SETTINGS.minCount}\n`,
    );
    expect(DEFAULT_SETTINGS.maxPathProducts).toBe(DEFAULT_PAIRS_OPTIONS.maxPathProducts);
  });

  test("run-job.sh --help states the definition's path cap (it prints help without building)", () => {
    const r = spawnSync(path.join(__dirname, '..', 'run-job.sh'), ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`(default ${DEFAULT_SETTINGS.maxPathProducts}, 0 = no cap)`);
  });
});

describe('commandWords', () => {
  test('keeps a bundle path with spaces as one word', () => {
    const [p1] = phaseSpecs({ node: 'nodejs' });
    expect(commandWords(p1, p1.reducer, (b) => `/a dir/${b}`)).toEqual(['nodejs', '/a dir/pairs-reducer.js', `--max-path-products=${DEFAULT_PAIRS_OPTIONS.maxPathProducts}`]);
  });
});
