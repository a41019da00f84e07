/**
 * The job on real Hadoop Streaming (Hadoop's LocalJobRunner, 3 reducers),
 * compared byte for byte with the local runner, on the data sets, odd ids and
 * bad lines; counters read back from Hadoop's job counters. Failures:
 * hadoop-failures.test.ts.
 *
 * Needs an installed Hadoop or java + mvn (for `npm run setup:hadoop`); skips
 * with a visible reason without them, except under CI=true, where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, facts, sh, tmpDir } from './helpers/exec';
import {
  BAD_LINE_COUNTERS,
  REDUCERS,
  Run,
  SLOW,
  badLinesFile,
  hadoopLogCounters,
  hadoopReady,
  linesSorted,
  phase2Parts,
  phaseCounters,
  runJob,
} from './helpers/hadoop-job';
import { referenceImportFile, referenceJob } from './helpers/reference';
import { describeIf } from './helpers/suite';
import { missingHadoop } from './helpers/tools';

describeIf(missingHadoop(), `real Hadoop Streaming, ${REDUCERS} reducers, as the local runner`, () => {
  let dir = '';

  beforeAll(async () => {
    await hadoopReady();
    dir = tmpDir('vp-hadoop-');
  }, SLOW);

  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs both runners on INPUT; checks they agree and returns the Hadoop run. */
  function bothRunners(name: string, input: string, extra = ''): { local: Run; hadoop: Run } {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    const local = runJob('local', input, d, {}, extra);
    expect(local.stderr).toContain('summary:');
    expect(local.code).toBe(0);
    const hadoop = runJob('hadoop', input, d, {}, extra);
    if (hadoop.code !== 0) throw new Error(`hadoop runner failed:\n${hadoop.stderr.slice(-4000)}`);
    const a = fs.readFileSync(path.join(local.out, 'viewed_products.tsv'));
    const b = fs.readFileSync(path.join(hadoop.out, 'viewed_products.tsv'));
    expect(b.length).toBeGreaterThan(0);
    expect(b.equals(a)).toBe(true);
    // Phase 1 counters are deterministic: Hadoop's equal the local runner's.
    expect(phaseCounters(hadoop, '1')).toEqual(phaseCounters(local, '1'));
    expect(hadoop.counters.get('2/result_rows_out')).toBe(local.counters.get('2/result_rows_out'));
    // ...and they are Hadoop's job counters, as its client printed them.
    const logged = hadoopLogCounters(path.join(hadoop.work, 'hadoop', 'phase1.log'));
    expect(Object.fromEntries(logged)).toEqual(phaseCounters(hadoop, '1'));
    // The phase-2 reducer ran as combiner too.
    expect(hadoop.counters.get('2/combine_rows_in')).toBeGreaterThan(0);
    return { local, hadoop };
  }


  test('MovieLens 100K: identical to the local runner, and the known facts', () => {
    const { hadoop } = bothRunners('movielens', dataViews('movielens', dir));
    expect(facts(path.join(hadoop.out, 'viewed_products.tsv'))).toEqual({ rows: 1_966_412, sum: 20_100_812 });
    expect(hadoop.counters.get('1/pairs')).toBe(20_100_812);
    expect(hadoop.counters.get('1/map_lines')).toBe(100_000);
  }, SLOW);


  // Diginetica, not MovieLens: the same three phases at a tenth of MovieLens's pairs (the test's cost is Hadoop sorting them).
  test('Diginetica --score llr --top 20: identical to the local runner, every source in the same reducer (KeyFieldBasedPartitioner -k1,1)', () => {
    const { local, hadoop } = bothRunners('diginetica-llr', dataViews('diginetica', dir), '--score llr --top 20');
    expect(Number(sh(`wc -l < '${path.join(hadoop.out, 'viewed_products.tsv')}'`).stdout.trim())).toBe(local.counters.get('2/list_rows_out'));
    expect(local.counters.get('2/list_rows_out')).toBeGreaterThan(30_000);
    expect(phase2Parts(path.join(hadoop.work, 'hadoop', 'phase2'))).toEqual(phase2Parts(path.join(local.work, 'phase2')));
  }, SLOW);


  test('ids that are not UTF-8, --score cosine --top 2: the local partitioner sends each source where Hadoop does', () => {
    const file = path.join(dir, 'odd-ids.tsv');
    const ids = ['\xff', 'caf\xc3\xa9', '\xe2\x82', '\xed\xa0\x80', '\xc0\xaf', 'a\xf0\x9f\x98\x80', '\xf8\x88', 'x', '\xe0\x80\xaf', 'b\xf0\x9f\x98', '\xf5\x80\x80\x80', '\xf0\x80\x80\x80'];
    const lines: string[] = [];
    for (let p = 0; p < 60; p++) for (let k = 0; k < 4; k++) lines.push(`p${p}\t${ids[(p * 3 + k * 5) % ids.length]}${p % 7}`);
    fs.writeFileSync(file, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const { local, hadoop } = bothRunners('odd-ids', file, '--score cosine --top 2');
    const parts = phase2Parts(path.join(local.work, 'phase2'));
    expect(parts.filter((p) => p !== '').length).toBeGreaterThan(1);
    expect(phase2Parts(path.join(hadoop.work, 'hadoop', 'phase2'))).toEqual(parts);
  }, SLOW);


  test('Diginetica sample: identical to the local runner, and the known facts', () => {
    const { hadoop } = bothRunners('diginetica', dataViews('diginetica', dir));
    expect(facts(path.join(hadoop.out, 'viewed_products.tsv'))).toEqual({ rows: 59_750, sum: 61_252 });
  }, SLOW);


  test('bad lines: identical output, skipped lines in Hadoop counters with the right values', () => {
    const file = badLinesFile(dir);
    const { hadoop } = bothRunners('bad', file);
    // Not only the same as the local runner: the table an independent implementation makes.
    const want = referenceImportFile(referenceJob(fs.readFileSync(file, 'latin1').split('\n')));
    expect(fs.readFileSync(path.join(hadoop.out, 'viewed_products.tsv'), 'latin1')).toBe(want);
    const c = phaseCounters(hadoop, '1');
    for (const [name, value] of Object.entries(BAD_LINE_COUNTERS)) expect([name, c[name]]).toEqual([name, value]);
    // The summary printed by run-job.sh shows the same numbers.
    expect(hadoop.stderr).toMatch(/skipped lines +10: wrong field count 4, empty field 2, NULL id 2, too long 1, product id over 255 bytes 1/);
    // The fixture's ids really put Hadoop's part files out of whole-line order.
    const parts = fs.readdirSync(path.join(hadoop.work, 'hadoop', 'phase2')).filter((f) => f.startsWith('part-'));
    expect(parts).toHaveLength(REDUCERS);
    expect(parts.some((p) => !linesSorted(path.join(hadoop.work, 'hadoop', 'phase2', p)))).toBe(true);
    expect(linesSorted(path.join(hadoop.out, 'viewed_products.tsv'))).toBe(true);
  }, SLOW);

});
