/** Phase 1's mapper in views mode: ViewCheck's verdicts and warnings, and mapBlock with views (its one-pass path) against it. */
import fc from 'fast-check';
import { mapBlock } from '../src/core/mapper';
import { inputSource, ViewCheck } from '../src/core/view-check';
import { Counters } from '../src/io/counters';
import { MemorySink } from '../src/io/sink';

interface Run {
  out: string;
  warnings: string[];
  counters: Array<[string, number]>;
}

function viaLines(lines: string[], max: number): Run {
  const sink = new MemorySink();
  const counters = new Counters();
  const warnings: string[] = [];
  const check = new ViewCheck(sink, counters, (m) => warnings.push(m), 'v.tsv');
  lines.forEach((l, i) => {
    const b = Buffer.from(l, 'latin1');
    if (b.length > max) check.tooLong(i + 1);
    else check.line(b, 0, b.length, i + 1);
  });
  return { out: sink.text(), warnings, counters: counters.entries() };
}

function viaBlock(lines: string[], max: number): Run {
  const sink = new MemorySink();
  const counters = new Counters();
  const warnings: string[] = [];
  const check = new ViewCheck(sink, counters, (m) => warnings.push(m), 'v.tsv');
  const b = Buffer.from(`##${lines.map((l) => `${l}\n`).join('')}`, 'latin1');
  const n = mapBlock(
    sink,
    b,
    2,
    b.length,
    max,
    (ls, le, index) => {
      if (le - ls > max) check.tooLong(index + 1);
      else check.line(b, ls, le, index + 1);
    },
    true,
  );
  expect(n).toBe(lines.length);
  return { out: sink.text(), warnings, counters: counters.entries() };
}

describe('ViewCheck: views pass as read, the header is counted, bad lines are warned about as FILE:LINE', () => {
  const cases: Array<[string, string, string, string | null]> = [
    // line, output, counter, warning
    ['1\ta', '1\ta\n', '', null],
    ['1\ta\r', '1\ta\r\n', '', null],
    ['path_id\tproduct_id', '', 'header_lines', null],
    ['1;NA;135861', '', 'skipped_wrong_field_count', 'v.tsv:1: bad view (no TAB): "1;NA;135861"'],
    ['', '', 'skipped_wrong_field_count', 'v.tsv:1: bad view (no TAB): ""'],
    ['1\ta\tb', '', 'skipped_wrong_field_count', 'v.tsv:1: bad view (more than one TAB): "1\\ta\\tb"'],
    ['\ta', '', 'skipped_empty_field', 'v.tsv:1: bad view (empty field): "\\ta"'],
    ['1\t\r', '', 'skipped_empty_field', 'v.tsv:1: bad view (empty field): "1\\t\\r"'],
    ['NULL\ta', '', 'skipped_null_id', 'v.tsv:1: bad view (NULL id): "NULL\\ta"'],
    ['1\tNULL', '', 'skipped_null_id', 'v.tsv:1: bad view (NULL id): "1\\tNULL"'],
    ['a-line-over-twenty-bytes\tx', '', 'skipped_too_long', 'v.tsv:1: bad view (too long)'],
  ];
  test.each(cases)('%j', (line, out, counter, warning) => {
    const r = viaLines([line], 20);
    expect(r.out).toBe(out);
    const counted = r.counters.filter(([, v]) => v > 0).map(([k]) => k);
    expect(counted).toEqual(counter ? [counter] : []);
    expect(r.warnings).toEqual(warning ? [warning] : []);
  });

  test('at most five warnings, the last one saying so', () => {
    const r = viaLines(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 100);
    expect(r.warnings).toHaveLength(5);
    expect(r.warnings[4]).toBe('v.tsv:5: bad view (no TAB): "e" (further bad lines are only counted)');
    expect(r.counters).toContainEqual(['skipped_wrong_field_count', 7]);
  });
});

describe('mapBlock with views = ViewCheck line by line', () => {
  test.each([
    ['all views (one copy)', ['a\tb', 'c\td', 'NUL\tx', 'NULLS\tx', 'path_ix\tproduct_id']],
    ['near misses: NULL and the header by length and first byte', ['NULL\ta', 'a\tNULL', 'path_id\tproduct_id', 'Nabc\tx', 'pathxid\tx']],
    ['bad lines among views', ['a\tb', 'notab', 'c\td\te', '', '\tx', 'x\t', 'x\t\r', 'y\tz\r']],
    ['ids that start with digits (the quick test) and near them', ['1\t2', '12\t345', '1\t2\r', '1\t\r', '1\t', '\t1', '1\tNULL', 'NULL\t1', '9\t0\t1', '/\t@']],
    ['alphanumeric ids and near misses with a \\r', ['s0000001\ttents-102', 'NULL\tx\r', 'x\tNULL\r', 'path_id\tproduct_id\r', 'NULx\tNULy', 'pa\tproduct_id']],
    ['an overlong line, with and without TAB', ['a\tb', 'long\tline here', 'longlinehere!', 'c\td']],
    ['no lines', []],
  ] as Array<[string, string[]]>)('%s', (_name, lines) => {
    expect(viaBlock(lines, 10)).toEqual(viaLines(lines, 10));
  });

  test.each([
    ['digit ids', ['1\t2', '12\t345\r']],
    ['alphanumeric ids (the demo\'s)', ['s0000001\ttents-102', 's0000001\tdesks-0297\r', 'abcd\tNUL', 'Null\tpath_id', 'path_id\tproduct']],
  ] as Array<[string, string[]]>)('plain views are copied without a closer look: %s', (_name, lines) => {
    const b = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1');
    const sink = new MemorySink();
    const looked: number[] = [];
    mapBlock(sink, b, 0, b.length, 100, (_ls, _le, index) => looked.push(index), true);
    expect(looked).toEqual([]);
    expect(sink.text()).toBe(b.toString('latin1'));
  });

  test('any lines', () => {
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '1', '?', 'N', 'p', '\t', '\r', 'é'), maxLength: 12 }),
      fc.constantFrom('NULL\ta', 'a\tNULL', 'path_id\tproduct_id', 'path_id\tproduct_id\r', 'NULL\tNULL'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom(4, 8, 100), (lines, max) => {
        expect(viaBlock(lines, max)).toEqual(viaLines(lines, max));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('inputSource', () => {
  test.each([
    [{}, 'stdin'],
    [{ mapreduce_map_input_file: 'file:/in/v.tsv' }, 'file:/in/v.tsv'],
    [{ map_input_file: 'hdfs://nn/v.tsv' }, 'hdfs://nn/v.tsv'],
    [{ mapreduce_map_input_file: 'v.tsv', mapreduce_map_input_start: '0' }, 'v.tsv'],
    [{ mapreduce_map_input_file: 'v.tsv', mapreduce_map_input_start: '134217728' }, 'v.tsv (split from byte 134217728)'],
  ] as Array<[Record<string, string>, string]>)('%j -> %s', (env, expected) => {
    expect(inputSource(env)).toBe(expected);
  });
});
