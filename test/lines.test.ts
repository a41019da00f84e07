import { LineSplitter } from '../src/io/lines';

/** Feeds `input` to a splitter in chunks cut at `cuts` and returns lines and overlong lengths. */
function split(input: string, cuts: number[], max = 1 << 20, blocks = false): { lines: string[]; overlong: number[] } {
  const lines: string[] = [];
  const overlong: number[] = [];
  const onLine = (b: Buffer, st: number, en: number): void => {
    if (en - st > max) overlong.push(en - st);
    else lines.push(b.toString('latin1', st, en));
  };
  // Block mode: whole lines, each ending with '\n'; the consumer applies the limit itself.
  const onBlock = (b: Buffer, st: number, en: number): void => {
    expect(en).toBeGreaterThan(st);
    expect(b[en - 1]).toBe(0x0a);
    let ls = st;
    for (let i = st; i < en; i++) {
      if (b[i] === 0x0a) {
        onLine(b, ls, i);
        ls = i + 1;
      }
    }
  };
  const s = new LineSplitter(onLine, (n) => overlong.push(n), max, blocks ? onBlock : null);
  const buf = Buffer.from(input, 'latin1');
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    // A fresh, reused-looking buffer per chunk: the splitter must copy what it keeps.
    const chunk = Buffer.from(buf.subarray(prev, c));
    s.push(chunk);
    chunk.fill(0x3f);
    prev = c;
  }
  s.end();
  return { lines, overlong };
}

describe('LineSplitter', () => {
  const cases: Array<[string, string, number[], string[]]> = [
    ['empty input', '', [], []],
    ['one line with newline', 'a\tb\n', [], ['a\tb']],
    ['last line without newline', 'a\tb\nc\td', [], ['a\tb', 'c\td']],
    ['only a newline', '\n', [], ['']],
    ['empty lines kept', 'a\n\n\nb\n', [], ['a', '', '', 'b']],
    ['cut inside a line', 'abc\tdef\nxyz\n', [5], ['abc\tdef', 'xyz']],
    ['cut right before newline', 'abc\n', [3], ['abc']],
    ['cut right after newline', 'abc\ndef\n', [4], ['abc', 'def']],
    ['cut between CR and LF', 'a\tb\r\nc\td\r\n', [4], ['a\tb\r', 'c\td\r']],
    ['one byte per chunk', 'ab\ncd', [1, 2, 3, 4], ['ab', 'cd']],
    ['line spanning three chunks', 'aaaaaaaaaa\nb\n', [3, 6], ['aaaaaaaaaa', 'b']],
    ['empty chunks', 'a\nb\n', [0, 0, 2, 2], ['a', 'b']],
  ];
  test.each(cases)('%s', (_name, input, cuts, expected) => {
    expect(split(input, cuts).lines).toEqual(expected);
  });

  test.each(cases)('%s, with a block handler: the same lines', (_name, input, cuts, expected) => {
    expect(split(input, cuts, 1 << 20, true).lines).toEqual(expected);
  });

  test('with a block handler, every cut of a mixed input gives the same lines and overlong lengths', () => {
    const input = `ok\n${'x'.repeat(20)}\n\nfine\r\n${'y'.repeat(16)}\nz${'w'.repeat(30)}`;
    const expected = split(input, [], 16);
    for (let a = 0; a <= input.length; a++) {
      for (let b = a; b <= input.length; b += 7) {
        expect(split(input, [a, b], 16, true)).toEqual(expected);
      }
    }
  });

  test('a multi-byte UTF-8 character cut in the middle survives byte for byte', () => {
    const input = Buffer.from('p1\tcaf\u00e9\u20ac\np2\t\u00fc\n', 'utf8');
    const lines: Buffer[] = [];
    const s = new LineSplitter((b, st, en) => lines.push(Buffer.from(b.subarray(st, en))));
    for (let i = 0; i < input.length; i++) s.push(input.subarray(i, i + 1));
    s.end();
    expect(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))).toEqual(input);
  });

  test('non-UTF-8 bytes pass through unchanged', () => {
    const raw = Buffer.from([0x70, 0x09, 0xff, 0xfe, 0x80, 0x0a, 0x00, 0x09, 0xc3, 0x0a]);
    const lines: number[][] = [];
    const s = new LineSplitter((b, st, en) => lines.push([...b.subarray(st, en)]));
    s.push(raw.subarray(0, 3));
    s.push(raw.subarray(3));
    s.end();
    expect(lines).toEqual([
      [0x70, 0x09, 0xff, 0xfe, 0x80],
      [0x00, 0x09, 0xc3],
    ]);
  });

  test('overlong lines are reported by length, not buffered, and the reader recovers', () => {
    const long = 'x'.repeat(50);
    const { lines, overlong } = split(`ok\n${long}\nfine\n${long}`, [10, 20, 30, 40], 16);
    expect(lines).toEqual(['ok', 'fine']);
    expect(overlong).toEqual([50, 50]);
  });

  test('a line of exactly the limit is kept, in one chunk or across chunks', () => {
    const line = 'y'.repeat(16);
    expect(split(`${line}\n${line}\n`, [], 16).lines).toEqual([line, line]);
    expect(split(`${line}\n${line}\n`, [5, 22], 16).lines).toEqual([line, line]);
  });
});
