/** run-job.sh's local runner: options, summary, failures named by stage, N-independence. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sh, tmpDir } from './helpers/exec';

const dir = tmpDir('vp-local-');
const views = path.join(dir, 'views.tsv');
const bad = path.join(dir, 'bad.tsv');

beforeAll(() => {
  const g = sh(`node dist/generate-views.js --paths 3000 --products 200 --seed 7 > '${views}'`);
  expect(g.code).toBe(0);
  fs.writeFileSync(
    bad,
    ['path_id\tproduct_id', 'u1\ta', 'u1\tb', 'u1\ta', '', 'junk', 'u2\tNULL', '\tb', 'u2\t', 'u2\ta\tb', 'u2\ta', 'u2\tc\r', 'big\t1', 'big\t2', 'big\t3'].join('\n'),
  );
});

/** A PATH with a wrapper named `name` that fails with `code` when its arguments match `pattern`. */
function failingPath(name: string, pattern: string, code: number): string {
  const bin = tmpDir('vp-fake-');
  const real = sh(`command -v ${name}`).stdout.trim();
  fs.writeFileSync(
    path.join(bin, name),
    `#!/usr/bin/env bash\ncase "$*" in *${pattern}*) cat >/dev/null; echo "fake ${name} fails" >&2; exit ${code};; esac\nexec ${real} "$@"\n`,
    { mode: 0o755 },
  );
  return `${bin}:${process.env.PATH}`;
}

/** The environment of a run that fails on purpose: a TMPDIR of its own, since its logs stay (lib/workdir.sh). */
function failingEnv(name: string, pattern: string, code: number): NodeJS.ProcessEnv {
  return { PATH: failingPath(name, pattern, code), TMPDIR: tmpDir('vp-failing-') };
}

test('--help documents every option and exits 0; a bad option exits 2', () => {
  const help = sh('./run-job.sh --help');
  expect(help.code).toBe(0);
  for (const opt of ['--input', '--output', '--reducers', '--max-path-products', '--runner', '--demo', '--no-combine']) {
    expect(help.stdout).toContain(opt);
  }
  const badOpt = sh('./run-job.sh --bogus');
  expect(badOpt.code).toBe(2);
  expect(badOpt.stderr).toMatch(/unknown option: --bogus/);
  expect(sh(`./run-job.sh --input '${views}' --output '${dir}/x' --reducers 0`).code).toBe(2);
});

test('the result is byte-identical for 1, 2 and 3 reducers, combining or not', () => {
  const files: Buffer[] = [];
  for (const [n, extra] of [[1, ''], [2, ''], [3, ''], [2, '--no-combine']] as Array<[number, string]>) {
    const out = path.join(dir, `out-${n}${extra}`);
    const r = sh(`./run-job.sh --input '${views}' --output '${out}' --reducers ${n} ${extra}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    files.push(fs.readFileSync(path.join(out, 'viewed_products.tsv')));
  }
  expect(files[0].length).toBeGreaterThan(0);
  for (const f of files.slice(1)) expect(f.equals(files[0])).toBe(true);
});

test('the summary counts input rows, skipped lines by reason, paths, capped paths, pairs, output rows, times', () => {
  const r = sh(`./run-job.sh --input '${bad}' --output '${dir}/bad-out' --reducers 2 --max-path-products 2`);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/input rows\s+15\n/);
  // Phase 1's mapper checks the views: '' and 'junk' hold no TAB, so a wrong field count.
  expect(r.stderr).toMatch(/skipped lines\s+6: wrong field count 3, empty field 2, NULL id 1, too long 0/);
  expect(r.stderr).toMatch(/paths\s+3 \(capped, skipped whole: 1\)/);
  expect(r.stderr).toMatch(/pairs\s+4 /);
  expect(r.stderr).toMatch(/output rows\s+4\n/);
  expect(r.stderr).toMatch(/time\s+phase 1 [\d.]+ s, phase 2 [\d.]+ s/);
  // The shuffle counts the rows the mappers emit: the views (the mapper drops the rest).
  expect(r.stderr).toMatch(/phase 1 map: 8 rows/);
  expect(fs.readFileSync(path.join(dir, 'bad-out', 'viewed_products.tsv'), 'latin1')).toBe('a\tb\t1\na\tc\t1\nb\ta\t1\nc\ta\t1\n');
});

test('a failing sort fails the run with exit 20 and names the stage', () => {
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/f1' --reducers 2`, failingEnv('sort', 'map-0000', 3));
  expect(r.code).toBe(20);
  expect(r.stderr).toMatch(/phase 1 sort\+reduce failed: .*phase 1 sort 0000\d \(exit 3\)/);
  // The failing tool's own words, with the stage named.
  expect(r.stderr).toMatch(/phase 1 sort 0000\d failed \(exit 3\): fake sort fails\n/);
  expect(fs.existsSync(path.join(dir, 'f1', 'viewed_products.tsv'))).toBe(false);
});

test('a failing phase-2 reducer fails the run with exit 20 and names it', () => {
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/f2' --reducers 1`, failingEnv('node', 'sum-reducer.js', 7));
  expect(r.code).toBe(20);
  expect(r.stderr).toMatch(/phase 2 sort\+reduce failed: phase 2 reducer 00000 \(exit 7\)/);
  expect(r.stderr).toMatch(/phase 2 reducer 00000 failed \(exit 7\): fake node fails\n/);
  expect(r.stderr).toContain('fake node fails');
});

test.each([1, 2])('a failing mapper fails the run with exit 20 and names it (%i reducers)', (reducers) => {
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/fm${reducers}' --reducers ${reducers}`, failingEnv('node', 'identity-mapper.js', 5));
  expect(r.code).toBe(20);
  expect(r.stderr).toMatch(/phase 1 map failed: .*phase 1 identity-mapper \(.*\) \(exit 5\)/);
  expect(r.stderr).toContain('fake node fails');
  expect(fs.existsSync(path.join(dir, `fm${reducers}`, 'viewed_products.tsv'))).toBe(false);
});

test('a folder of inputs: one mapper per file, so a last line without newline stays its own line', () => {
  const inputs = path.join(dir, 'inputs');
  fs.mkdirSync(inputs);
  fs.writeFileSync(path.join(inputs, 'a.tsv'), 'u1\ta\nu1\tb');
  fs.writeFileSync(path.join(inputs, 'b.tsv'), 'u2\ta\nu2\tb\n');
  fs.writeFileSync(path.join(inputs, '_SUCCESS'), '');
  const r = sh(`./run-job.sh --input '${inputs}' --output '${dir}/folder-out' --reducers 2`);
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'folder-out', 'viewed_products.tsv'), 'latin1')).toBe('a\tb\t2\nb\ta\t2\n');
});

test('a reused --work-dir with fewer reducers leaves nothing of the earlier run in the result', () => {
  const work = path.join(dir, 'work');
  const outs: string[] = [];
  for (const n of [3, 1]) {
    const r = sh(`./run-job.sh --input '${views}' --output '${dir}/reuse-${n}' --reducers ${n} --work-dir '${work}'`);
    expect(r.code).toBe(0);
    outs.push(fs.readFileSync(path.join(dir, `reuse-${n}`, 'viewed_products.tsv'), 'latin1'));
  }
  expect(outs[1]).toBe(outs[0]);
});

test('a missing input is a usage error; an empty input gives an empty result', () => {
  expect(sh(`./run-job.sh --input '${dir}/nope.tsv' --output '${dir}/f3'`).code).toBe(2);
  const r = sh(`./run-job.sh --input /dev/stdin --output '${dir}/f4' < /dev/null`);
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'f4', 'viewed_products.tsv'), 'latin1')).toBe('');
});

test('--demo prints labelled related products on stdout, keeps its views and says how to rerun', () => {
  const r = sh(`./run-job.sh --demo --output '${dir}/demo'`);
  expect(r.code).toBe(0);
  const blocks = r.stdout.trimEnd().split('\n\n');
  expect(blocks.length).toBe(3);
  for (const b of blocks) {
    expect(b).toMatch(/^People who viewed \S+ \(viewed in [\d,]+ sessions\) also viewed:(\n {2}\S+ +[\d,]+ sessions? viewed both){5}$/);
  }
  const out = path.join(dir, 'demo');
  expect(fs.statSync(path.join(out, 'viewed_products.tsv')).size).toBeGreaterThan(0);
  expect(fs.statSync(path.join(out, 'demo-views.tsv')).size).toBeGreaterThan(0);
  const hint = /demo: more products, longer lists: (.*)$/m.exec(r.stderr);
  expect(hint?.[1]).toContain(`--views ${out}/demo-views.tsv --result ${out}/viewed_products.tsv`);
  // The hint is a working command line, reading the kept files.
  const again = sh(`${hint?.[1] ?? 'false'}`);
  expect(again.code).toBe(0);
  expect(again.stdout.split('\n\n').length).toBe(10);
  expect(again.stdout.startsWith(blocks[0].split('\n')[0])).toBe(true);
  // So is the one-product hint, given a product of the demo.
  const one = /demo: one product's whole list: (.*)$/m.exec(r.stderr);
  const product = /^People who viewed (\S+) /.exec(blocks[0])?.[1] ?? 'none';
  const list = sh(`${(one?.[1] ?? 'false').replace('--product ID', `--product ${product}`)}`);
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')[0]).toMatch(/^\S+\t\d+$/);
});

test('without --reducers, each phase gets one reducer per --bytes-per-reducer of its input, at most one per core', () => {
  const cores = Number(sh('nproc').stdout.trim());
  const small = sh(`./run-job.sh --input '${views}' --output '${dir}/auto-1'`);
  expect(small.code).toBe(0);
  expect(small.stderr).toMatch(/phase 1: map \+ shuffle into 1 partition\(s\)/);
  expect(small.stderr).toMatch(/phase 2: map \+ shuffle into 1 partition\(s\)/);
  const split = sh(`./run-job.sh --input '${views}' --output '${dir}/auto-n' --bytes-per-reducer 1000`);
  expect(split.code).toBe(0);
  expect(split.stderr).toMatch(new RegExp(`phase 1: map \\+ shuffle into ${cores} partition\\(s\\)`));
  expect(fs.readFileSync(path.join(dir, 'auto-n', 'viewed_products.tsv'))).toEqual(fs.readFileSync(path.join(dir, 'auto-1', 'viewed_products.tsv')));
  // An input given as a symlink is sized by the file it names, not by the link.
  const link = path.join(dir, 'views-link.tsv');
  fs.symlinkSync(views, link);
  const linked = sh(`./run-job.sh --input '${link}' --output '${dir}/auto-link' --bytes-per-reducer 1000`);
  expect(linked.code).toBe(0);
  expect(linked.stderr).toMatch(new RegExp(`phase 1: map \\+ shuffle into ${cores} partition\\(s\\)`));
  expect(sh(`./run-job.sh --input '${views}' --output '${dir}/auto-x' --bytes-per-reducer 0`).code).toBe(2);
});

describe("phase 2's reducers follow phase 1's parts (without --reducers)", () => {
  /** The run's log, its result, and how many partitions phase 2 had. */
  const run = (name: string, extra: string): { log: string; result: Buffer; phase2: string } => {
    const out = path.join(dir, `parts-${name}`);
    // A small --bytes-per-reducer gives phase 1 two reducers, so phase 2 has two parts to read.
    const r = sh(`./run-job.sh --input '${views}' --output '${out}' --bytes-per-reducer 100000 ${extra}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/phase 1: map \+ shuffle into 2 partition\(s\)/);
    const m = /phase 2: map \+ shuffle into (\d+ (?:partition|source range))\(s\)/.exec(r.stderr);
    return { log: r.stderr, result: fs.readFileSync(path.join(out, 'viewed_products.tsv')), phase2: m?.[1] ?? '' };
  };
  const reference = (extra: string): Buffer => {
    const out = path.join(dir, `parts-ref-${extra.replace(/\W+/g, '')}`);
    expect(sh(`./run-job.sh --input '${views}' --output '${out}' --reducers 3 ${extra}`).code).toBe(0);
    return fs.readFileSync(path.join(out, 'viewed_products.tsv'));
  };

  test.each([
    ['combining, a full table: each part one sorted run, merged into one reducer (no map pass)', '', '1 partition'],
    ['--top 5: lists, so phase 2 cuts the parts into source ranges, merged per range, concatenated', '--top 5', '2 source range'],
    ['--min-count 2: lists too', '--min-count 2', '2 source range'],
    ['--no-combine: parts out of order, so phase 2 partitions and sorts', '--no-combine', '2 partition'],
    ['--score cosine: the supports rows follow the pairs, so phase 2 partitions', '--score cosine', '2 partition'],
  ])('%s', (_name, extra, partitions) => {
    const r = run(extra.replace(/\W+/g, '') || 'default', extra);
    expect(r.phase2).toBe(partitions);
    expect(r.result.equals(reference(extra))).toBe(true);
  });
  // Phase 2's mapper copies, so its source ranges go from phase 1's parts through FIFOs into the merges.
  test('a failing range writer fails the run with exit 20 and names it; no result', () => {
    const out = path.join(dir, 'parts-dd');
    const r = sh(`timeout 120 ./run-job.sh --input '${views}' --output '${out}' --bytes-per-reducer 100000 --top 5`, failingEnv('dd', 'skip_bytes', 6));
    expect(r.code).toBe(20);
    expect(r.stderr).toMatch(/phase 2 sort\+reduce failed: .*phase 2 range 0000\d of part-0000\d \(exit 6\)/);
    expect(fs.existsSync(path.join(out, 'viewed_products.tsv'))).toBe(false);
  });

  test('a merge that fails before it opens its ranges fails the run with exit 20 (their writers do not wait for ever)', () => {
    const out = path.join(dir, 'parts-merge');
    // A timeout, so a writer left waiting shows as a failure (exit 124), not as a test that never ends.
    const r = sh(`timeout 120 ./run-job.sh --input '${views}' --output '${out}' --bytes-per-reducer 100000 --top 5`, failingEnv('sort', '-m\\ -T', 8));
    expect(r.code).toBe(20);
    expect(r.stderr).toMatch(/phase 2 sort\+reduce failed: .*phase 2 merge 0000\d \(exit 8\)/);
    expect(fs.existsSync(path.join(out, 'viewed_products.tsv'))).toBe(false);
  });
});
