import { hadoopHashBytes, hadoopPartition, OrderCheck, partitionOfKey, streamingKeyEnd } from '../src/core/partition';

/** Independent model of Java: int arithmetic as BigInt mod 2^32, bytes signed. */
function javaTextHash(bytes: number[]): number {
  let h = 1n;
  for (const b of bytes) h = BigInt.asIntN(32, 31n * h + BigInt(b > 127 ? b - 256 : b));
  return Number(h);
}

describe('Hadoop HashPartitioner on Text keys', () => {
  const cases: Array<[string, number]> = [
    ['', 1],
    ['1', 31 + 49],
    ['ab', 31 * (31 + 97) + 98],
    ['\xff', 31 - 1],
  ];
  test.each(cases)('hashBytes(%j) = %d', (key, expected) => {
    const b = Buffer.from(key, 'latin1');
    expect(hadoopHashBytes(b, 0, b.length)).toBe(expected);
  });

  test('matches the Java int model on long and non-ASCII keys (overflow wraps)', () => {
    const keys = ['196', '85123A\t85123a', 'x'.repeat(100), '\x80\x81\xfe\xff\t\x00', 'path-000123456789'];
    for (const k of keys) {
      const bytes = [...Buffer.from(k, 'latin1')];
      expect(hadoopHashBytes(Buffer.from(bytes), 0, bytes.length)).toBe(javaTextHash(bytes));
    }
  });

  test('partition = (hash & Integer.MAX_VALUE) % reducers, never negative', () => {
    expect(hadoopPartition(-1, 3)).toBe(0x7fffffff % 3);
    expect(hadoopPartition(-2147483648, 7)).toBe(0);
    expect(partitionOfKey('1', 3)).toBe(80 % 3);
    for (const k of ['a', 'b', 'c', '\xff\xff', 'zzzz']) {
      const p = partitionOfKey(k, 5);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(5);
    }
  });

  const keyCases: Array<[string, number, string]> = [
    ['a\tb\tc', 1, 'a'],
    ['a\tb\tc', 2, 'a\tb'],
    ['a\tb', 2, 'a\tb'],
    ['abc', 1, 'abc'],
    ['\tb', 1, ''],
  ];
  test.each(keyCases)('streaming key of %j with %d field(s) is %j', (line, fields, key) => {
    const b = Buffer.from(line, 'latin1');
    expect(b.toString('latin1', 0, streamingKeyEnd(b, 0, b.length, fields))).toBe(key);
  });
});

describe('OrderCheck (byte order, as LC_ALL=C sort)', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['no lines', [], true],
    ['one line', ['b'], true],
    ['ascending', ['a', 'ab', 'b'], true],
    ['equal lines', ['a\t1', 'a\t1'], true],
    ['a prefix comes first', ['a', 'a\t1'], true],
    ['a longer line before its prefix', ['a\t1', 'a'], false],
    ['descending', ['b', 'a'], false],
    ['bytes compare unsigned', ['a', 'z', '\xff'], true],
    ['\\xff before z is out of order', ['\xff', 'z'], false],
    ['a byte below TAB sorts before TAB', ['a\x01', 'a\t'], true],
    ['out of order late, after a long shared prefix', ['abcdefgh\t1', 'abcdefgh\t2', 'abcdefgh\t10'], false],
    ['a line longer than the kept copy', ['a', 'a'.repeat(200), 'b'.repeat(300), 'c'], true],
    ['stays unsorted once out of order', ['b', 'a', 'c', 'd'], false],
  ];
  test.each(cases)('%s', (_name, lines, expected) => {
    const check = new OrderCheck();
    for (const l of lines) {
      const b = Buffer.from(`#${l}#`, 'latin1');
      check.check(b, 1, b.length - 1);
    }
    expect(check.sorted).toBe(expected);
    // The same verdict as sorting the lines by bytes.
    const bufs = lines.map((l) => Buffer.from(l, 'latin1'));
    const byBytes = [...bufs].sort(Buffer.compare);
    expect(bufs.every((b, i) => b.equals(byBytes[i] as Buffer))).toBe(expected);
  });
});
