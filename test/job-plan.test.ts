/** job-plan.js local-phase and defaults: the local runner's view of the one job definition. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_PAIRS_OPTIONS } from '../src/core/pairs/options';
import { commandWords, DEFAULT_SETTINGS, phaseSpecs } from '../src/job/phases';

const DIST = path.join(__dirname, '..', 'dist');

function plan(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(DIST, 'job-plan.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('job-plan.js local-phase', () => {
  test('phase 1: the mapper, the pairs reducer with its settings, key = the path id', () => {
    const r = plan('local-phase', '--phase', '1', '--files-dir', '/d', '--max-path-products', '7', '--no-combine');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'mapper\tnode\t/d/identity-mapper.js\t--views\n' +
        'reducer\tnode\t/d/pairs-reducer.js\t--max-path-products=7\t--no-combine\n' +
        'key-fields\t1\n',
    );
  });

  test("phase 1 combining: the pairs reducer takes its share of --memory with --memory-mb (the sum reducer streams: none)", () => {
    expect(plan('local-phase', '--phase', '1', '--files-dir', '/d').stdout).toMatch(/\nkey-fields\t1\nreducer-memory\t--memory-mb\n$/);
    expect(plan('local-phase', '--phase', '2', '--files-dir', '/d').stdout).not.toContain('reducer-memory');
    expect(plan('local-phase', '--phase', '2', '--files-dir', '/d', '--score', 'llr', '--top', '5').stdout).not.toContain('reducer-memory');
  });

  test('phase 2: the sum reducer, its combiner, key = source and target', () => {
    const r = plan('local-phase', '--phase', '2', '--files-dir', '/d');
    expect(r.stdout).toBe(
      'mapper\tnode\t/d/identity-mapper.js\n' +
        'reducer\tnode\t/d/sum-reducer.js\n' +
        'combiner\tnode\t/d/sum-reducer.js\t--role=combiner\n' +
        'key-fields\t2\n',
    );
  });

  test('a score: phase 1 writes the supports, the supports phase gathers them into one part, phase 2 drops them and reads the file', () => {
    const args = ['--files-dir', '/d', '--score', 'llr', '--top', '20', '--min-count', '2'];
    expect(plan('local-phase', '--phase', '1', ...args).stdout).toContain('--supports\n');
    expect(plan('local-phase', '--phase', 'supports', ...args).stdout).toBe(
      'mapper\tnode\t/d/identity-mapper.js\t--diagonal\n' + 'reducer\tnode\t/d/identity-mapper.js\n' + 'key-fields\t1\n' + 'reducers\t1\n',
    );
    expect(plan('local-phase', '--phase', '2', ...args).stdout).toBe(
      'mapper\tnode\t/d/identity-mapper.js\t--off-diagonal\n' +
        'reducer\tnode\t/d/sum-reducer.js\t--min-count=2\t--score=llr\t--supports=supports.tsv\t--top=20\n' +
        'combiner\tnode\t/d/sum-reducer.js\t--role=combiner\n' +
        'key-fields\t2\n' +
        'partition-fields\t1\n' +
        'side-file\tsupports.tsv\tsupports\n',
    );
    expect(plan('phases', '--score', 'llr').stdout).toBe('1\nsupports\n2\n');
  });

  test('count with --top: no supports phase, phase 2 partitioned by source; the default job has two phases', () => {
    expect(plan('local-phase', '--phase', 'supports', '--files-dir', '/d', '--top', '5').stdout).toBe('');
    expect(plan('local-phase', '--phase', '2', '--files-dir', '/d', '--top', '5').stdout).toContain('partition-fields\t1\n');
    expect(plan('phases', '--top', '5').stdout).toBe('1\n2\n');
    expect(plan('phases').stdout).toBe('1\n2\n');
  });

  test('the default path cap is the reducer\'s own', () => {
    expect(plan('local-phase', '--phase', '1', '--files-dir', '/d').stdout).toContain(
      `--max-path-products=${DEFAULT_PAIRS_OPTIONS.maxPathProducts}\n`,
    );
  });

  test.each([
    [['--phase', '3', '--files-dir', '/d'], '--phase must be 1, supports or 2'],
    [['--phase', '2', '--files-dir', '/d', '--score', 'foo'], '--score must be one of count, cosine, jaccard, llr'],
    [['--phase', '2', '--files-dir', '/d', '--top', '-1'], '--top'],
    [['--phase', '2', '--files-dir', '/d', '--min-count', '0'], '--min-count'],
    [['--phase', '1'], '--files-dir is required'],
    [['--phase', '1', '--files-dir', '/d', '--bogus'], 'unknown option --bogus'],
  ])('bad arguments %j exit 2: %s', (args, message) => {
    const r = plan('local-phase', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
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
