/**
 * Property: for random views with duplicates, odd bytes and bad lines, the
 * job equals a simple independent implementation — in memory with any number
 * of reducers and table sizes that force flushes, and through the real
 * executables and run-job.sh.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sh, tmpDir } from './helpers/exec';
import { inProcessJob } from './helpers/inprocess';
import { referenceImportFile, referenceJob } from './helpers/reference';

// Ids from a small pool so pairs repeat; odd bytes included (but no TAB/LF).
const idChar = fc.constantFrom('a', 'b', 'A', '0', '7', ' ', '\\', '\xff', '\x80', '\x01', '\r', 'N', 'U', 'L');
const id = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3', '007', '7', '85123A', '85123a', '9007199254740993', '\xc3\xa9', 'NULLX') },
  { weight: 2, arbitrary: fc.string({ unit: idChar, minLength: 1, maxLength: 4 }) },
);
const viewLine = fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p10', 'x'), id, fc.boolean()).map(([p, i, crlf]) => `${p}\t${i}${crlf ? '\r' : ''}`);
const badLine = fc.constantFrom('', 'NULL\t1', '1\tNULL', 'p1', '\t5', 'p1\t', 'a\tb\tc', 'path_id\tproduct_id', '\r');
const line = fc.oneof({ weight: 8, arbitrary: viewLine }, { weight: 1, arbitrary: badLine });
const views = fc.array(line, { maxLength: 60 });

/** A line ending in '\r' that the reference keeps whole would differ only in CR handling; both drop one. */
function toInput(lines: string[], finalNewline: boolean): Buffer {
  return Buffer.from(lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : ''), 'latin1');
}

describe('job = reference implementation (in memory)', () => {
  test('any reducers, any table sizes, combining or raw', () => {
    fc.assert(
      fc.property(
        views,
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 2, 3, 1000),
        fc.record({
          combine: fc.boolean(),
          blockViews: fc.constantFrom(2, 3, 16, 0),
          // Small limits force the interned-id reset mid-input (0: from the budget).
          maxInternedIds: fc.constantFrom(1, 5, 0),
        }),
        fc.boolean(),
        (lines, reducers, cap, opts, finalNewline) => {
          const input = toInput(lines, finalNewline);
          const { importFile, counters } = inProcessJob(input, reducers, { ...opts, maxPathProducts: cap });
          // The reference reads the same lines (a last line without '\n' included).
          const ref = referenceJob(input.toString('latin1').split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''), cap);
          expect(importFile.toString('latin1')).toBe(referenceImportFile(ref));
          const skipped =
            counters.get('skipped_wrong_field_count') + counters.get('skipped_empty_field') + counters.get('skipped_null_id');
          expect(skipped).toBe(ref.skipped);
          expect(counters.get('capped_paths')).toBe(ref.capped);
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('job = reference implementation (real executables)', () => {
  const dir = tmpDir();
  const samples = fc.sample(views, { numRuns: 4, seed: 20261124 }).map((ls) => ls.concat(Array.from({ length: 30 }, (_, i) => `p${i % 7}\tz${i % 5}`)));

  test.each(samples.map((s, i) => [i, s] as [number, string[]]))('sample %d through the plain pipe and run-job.sh (1 and 3 reducers)', (i, lines) => {
    const file = path.join(dir, `views-${i}.tsv`);
    const input = toInput(lines, i % 2 === 0);
    fs.writeFileSync(file, input);
    const expected = referenceImportFile(referenceJob(input.toString('latin1').split('\n').filter((l, j, a) => j < a.length - 1 || l !== '')));
    const pipe = sh(
      `cat '${file}' | dist/identity-mapper.js | LC_ALL=C sort | dist/pairs-reducer.js | dist/identity-mapper.js | LC_ALL=C sort | dist/sum-reducer.js 2>/dev/null | LC_ALL=C sort`,
    );
    expect(pipe.code).toBe(0);
    expect(pipe.stdout).toBe(expected);
    for (const n of [1, 3]) {
      const out = path.join(dir, `out-${i}-${n}`);
      const r = sh(`./run-job.sh --input '${file}' --output '${out}' --reducers ${n}`);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(out, 'viewed_products.tsv'), 'latin1')).toBe(expected);
    }
  });
});
