/** src/core/ranges.ts: split keys from samples, the binary search for a key's first line, the cuts of sorted files. */
import { cutOffsets, firstLineAtLeast, lineStartFrom, ReadAt, sampleFile, sourceKey, splitKeys } from '../src/core/ranges';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const reader = (file: Buffer): ReadAt => (position, length) => file.subarray(position, position + length);

/** The sorted lines' text (byte order), each with its newline. */
function fileOf(lines: string[]): Buffer {
  return Buffer.concat([...lines].map(b).sort(Buffer.compare).map((l) => Buffer.concat([l, b('\n')])));
}

/** A deterministic pseudo-random generator (xorshift). */
function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('sourceKey', () => {
  test.each([
    ['a\tb\t1', 'a\t'],
    ['\tb', '\t'],
    ['no tab', null],
  ])('%j -> %j', (line, key) => {
    const got = sourceKey(b(line));
    expect(got === null ? null : got.toString('latin1')).toBe(key);
  });
});

describe('splitKeys', () => {
  const s = (key: string, weight = 1) => ({ key: b(key), weight });
  test.each([
    ['one part: no split', [s('a\t'), s('b\t')], 1, []],
    ['even weights, two parts: the middle key', [s('d\t'), s('a\t'), s('c\t'), s('b\t')], 2, ['c\t']],
    ['three parts', [s('a\t'), s('b\t'), s('c\t'), s('d\t'), s('e\t'), s('f\t')], 3, ['c\t', 'e\t']],
    ['weights move the cut', [s('a\t', 10), s('b\t'), s('c\t')], 2, ['b\t']],
    ['repeated keys are one split', [s('a\t'), s('b\t'), s('b\t'), s('b\t'), s('b\t'), s('c\t')], 3, ['b\t', 'c\t']],
    ['one distinct key: no split (range 0 would be empty)', [s('a\t'), s('a\t'), s('a\t')], 2, []],
    ['no samples', [], 4, []],
  ])('%s', (_name, samples, n, want) => {
    expect(splitKeys(samples, n).map((k) => k.toString('latin1'))).toEqual(want);
  });
});

describe('lineStartFrom', () => {
  const file = b('ab\ncd\n\nef\n');
  test.each([
    [0, 0],
    [1, 3],
    [3, 3],
    [4, 6],
    [6, 6],
    [7, 7],
    [8, 10],
    [10, 10],
  ])('position %d -> %d, whatever the chunk', (position, want) => {
    for (const chunk of [1, 2, 3, 64]) expect(lineStartFrom(reader(file), file.length, position, chunk)).toBe(want);
  });
});

describe('firstLineAtLeast and cutOffsets', () => {
  test('the key is a line prefix: a source that is a prefix of another, bytes below TAB, one line, none', () => {
    const lines = ['a\tz\t1', 'a\x01b\tx\t1', 'a b\ty\t1', 'ab\tc\t2', 'b\ta\t1'];
    const file = fileOf(lines);
    const text = file.toString('latin1');
    const at = (key: string) => firstLineAtLeast(reader(file), file.length, b(key));
    expect(at('a\t')).toBe(text.indexOf('a\tz'));
    expect(at('a b\t')).toBe(text.indexOf('a b\t'));
    expect(at('a\x01b\t')).toBe(0);
    expect(at('b\t')).toBe(text.indexOf('b\ta'));
    expect(at('c\t')).toBe(file.length);
    expect(at('\t')).toBe(0);
    expect(firstLineAtLeast(reader(b('')), 0, b('a\t'))).toBe(0);
    const one = b('x\ty\t1\n');
    expect(firstLineAtLeast(reader(one), one.length, b('x\t'))).toBe(0);
    expect(firstLineAtLeast(reader(one), one.length, b('y\t'))).toBe(one.length);
  });

  test('random sorted files: the same offset as a scan, and every source in one range of the cuts', () => {
    const next = rng(26);
    for (let round = 0; round < 200; round++) {
      const alphabet = ['a', 'b', 'ab', 'b\x01', 'ba', 'c', '\xff', 'a a'];
      const count = Math.floor(next() * 40);
      const lines: string[] = [];
      for (let i = 0; i < count; i++) {
        const src = alphabet[Math.floor(next() * alphabet.length)] + (next() < 0.3 ? alphabet[Math.floor(next() * alphabet.length)] : '');
        lines.push(`${src}\t${alphabet[Math.floor(next() * alphabet.length)]}\t${1 + Math.floor(next() * 9)}`);
      }
      const file = fileOf(lines);
      const starts = [0];
      for (let i = 0; i < file.length; i++) if (file[i] === 10 && i + 1 < file.length) starts.push(i + 1);
      const keys = alphabet.map((a) => b(`${a}\t`));
      for (const key of keys) {
        const want = starts.find((s) => Buffer.compare(file.subarray(s, file.indexOf(10, s)), key) >= 0) ?? file.length;
        expect(firstLineAtLeast(reader(file), file.length, key)).toBe(file.length === 0 ? 0 : want);
      }
      const parts = 1 + Math.floor(next() * 4);
      const splits = splitKeys(sampleFile(reader(file), file.length, 16), parts);
      const cuts = cutOffsets(reader(file), file.length, splits);
      expect(cuts).toHaveLength(splits.length + 2);
      expect(cuts[0]).toBe(0);
      expect(cuts[cuts.length - 1]).toBe(file.length);
      const rangeOf = new Map<string, number>();
      for (let r = 0; r + 1 < cuts.length; r++) {
        expect(cuts[r + 1]).toBeGreaterThanOrEqual(cuts[r]);
        const part = file.subarray(cuts[r], cuts[r + 1]).toString('latin1');
        for (const line of part.split('\n').filter((l) => l !== '')) {
          const src = line.slice(0, line.indexOf('\t'));
          expect(rangeOf.get(src) ?? r).toBe(r);
          rangeOf.set(src, r);
        }
      }
    }
  });
});

describe('sampleFile', () => {
  test('sources at even positions, each weighing size / count; an empty file gives none', () => {
    const file = fileOf(['a\tx\t1', 'b\tx\t1', 'c\tx\t1', 'd\tx\t1']);
    const samples = sampleFile(reader(file), file.length, 4);
    expect(samples.map((s) => s.key.toString('latin1'))).toEqual(['a\t', 'b\t', 'c\t', 'd\t']);
    expect(samples.every((s) => s.weight === file.length / 4)).toBe(true);
    expect(sampleFile(reader(b('')), 0, 8)).toEqual([]);
  });
});
