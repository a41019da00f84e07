/** The identity mapper's pure pieces: mapLine, and mapBlock (its one-pass path) against it. */
import fc from 'fast-check';
import { mapBlock, mapLine } from '../src/core/mapper';
import { MemorySink } from '../src/io/sink';

function viaLines(lines: string[], max: number): { out: string; skipped: number[] } {
  const sink = new MemorySink();
  const skipped: number[] = [];
  lines.forEach((l, i) => {
    const b = Buffer.from(l, 'latin1');
    if (b.length > max) skipped.push(i);
    else mapLine(sink, b, 0, b.length);
  });
  return { out: sink.text(), skipped };
}

function viaBlock(lines: string[], max: number): { out: string; skipped: number[] } {
  const sink = new MemorySink();
  const skipped: number[] = [];
  const b = Buffer.from(`##${lines.map((l) => `${l}\n`).join('')}`, 'latin1');
  const n = mapBlock(sink, b, 2, b.length, max, (ls, le, index) => {
    if (le - ls > max) skipped.push(index);
    else mapLine(sink, b, ls, le);
  });
  expect(n).toBe(lines.length);
  return { out: sink.text(), skipped };
}

describe('mapLine', () => {
  const cases: Array<[string, string]> = [
    ['a\tb', 'a\tb\n'],
    ['notab', 'notab\t\n'],
    ['', '\t\n'],
    ['a\tb\r', 'a\tb\r\n'],
    ['x\r', 'x\r\t\n'],
    ['a\tb\tc', 'a\tb\tc\n'],
  ];
  test.each(cases)('%j -> %j', (line, expected) => {
    expect(viaLines([line], 100).out).toBe(expected);
  });
});

describe('mapBlock = mapLine line by line', () => {
  test.each([
    ['all lines with a TAB (one copy)', ['a\tb', 'c\td\r', '\t']],
    ['TAB-less lines among others', ['a\tb', 'notab', 'c\td', '', 'x\r']],
    ['an overlong line, with and without TAB', ['a\tb', 'long\tline here', 'longlinehere!', 'c\td']],
    ['no lines', []],
  ] as Array<[string, string[]]>)('%s', (_name, lines) => {
    expect(viaBlock(lines, 8)).toEqual(viaLines(lines, 8));
  });

  test('any lines', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '\t', '\r', 'é', '\x00'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom(4, 8, 100), (lines, max) => {
        expect(viaBlock(lines, max)).toEqual(viaLines(lines, max));
      }),
      { numRuns: 1000 },
    );
  });
});
