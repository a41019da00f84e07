/** Output helpers that the hot paths use (src/io/sink.ts, decimal.ts, word-copy.ts). */
import { putDecimal } from '../src/io/decimal';
import { MemorySink } from '../src/io/sink';
import { WordCopy } from '../src/io/word-copy';

describe('WordCopy', () => {
  test('every length 0..40 at every alignment copies exactly those bytes', () => {
    const src = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
    const c = new WordCopy();
    for (let n = 0; n <= 40; n++) {
      for (let from = 0; from < 5; from++) {
        for (let at = 0; at < 5; at++) {
          const dst = Buffer.alloc(64, 0xee);
          c.copy(src, from, from + n, dst, at);
          const expected = Buffer.alloc(64, 0xee);
          src.copy(expected, at, from, from + n);
          expect(dst.equals(expected)).toBe(true);
        }
      }
    }
  });

  test('follows a new source or destination buffer, also a pooled Buffer with an offset', () => {
    const c = new WordCopy();
    const a = Buffer.from('0123456789abcdef');
    const b = Buffer.from('ABCDEFGHIJKLMNOP'); // small Buffers share a pool: byteOffset != 0
    const d1 = Buffer.alloc(16, 0x2e);
    const d2 = Buffer.alloc(16, 0x2e);
    c.copy(a, 2, 9, d1, 1);
    c.copy(b, 2, 9, d1, 8);
    c.copy(a, 0, 5, d2, 0);
    expect(d1.toString('latin1')).toBe('.2345678CDEFGHI.');
    expect(d2.toString('latin1')).toBe('01234...........');
  });
});

describe('putDecimal', () => {
  test.each([0, 7, 10, 99, 100, 123456789, 2 ** 53 - 1, 1e15, 2n ** 70n] as Array<number | bigint>)('%p', (v) => {
    const s = new MemorySink();
    putDecimal(s, v);
    expect(s.text()).toBe(v.toString());
  });
});
