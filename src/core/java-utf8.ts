/**
 * What Hadoop's Text.toString() then String.getBytes(UTF_8) make of a key's
 * bytes (KeyFieldBasedPartitioner hashes those): valid UTF-8 unchanged, each
 * malformed sequence replaced by U+FFFD (EF BF BD), cut where the JDK's UTF-8
 * decoder cuts it (sun.nio.cs.UTF_8: a surrogate's three bytes are one
 * replacement, unlike the WHATWG rule Node's decoder follows; bytes left at
 * the end are one).
 */

const FFFD = [0xef, 0xbf, 0xbd];

const cont = (b: number): boolean => (b & 0xc0) === 0x80;

/** Bytes a malformed sequence at i covers (>= 1), or 0 when bytes [i, i + n) form a valid character of n bytes. */
function step(buf: Uint8Array, i: number, end: number): { n: number; bad: boolean } {
  const b1 = buf[i];
  const left = end - i;
  if (b1 < 0x80) return { n: 1, bad: false };
  if (b1 >= 0xc2 && b1 <= 0xdf) {
    if (left < 2) return { n: left, bad: true };
    return cont(buf[i + 1]) ? { n: 2, bad: false } : { n: 1, bad: true };
  }
  if (b1 >= 0xe0 && b1 <= 0xef) {
    const b2 = buf[i + 1];
    if (left < 3) {
      if (left > 1 && ((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !cont(b2))) return { n: 1, bad: true };
      return { n: left, bad: true };
    }
    const b3 = buf[i + 2];
    if ((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !cont(b2) || !cont(b3)) {
      return { n: (b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !cont(b2) ? 1 : 2, bad: true };
    }
    // A surrogate (ED A0..BF xx): the JDK replaces all three bytes at once.
    if (b1 === 0xed && b2 >= 0xa0) return { n: 3, bad: true };
    return { n: 3, bad: false };
  }
  if (b1 >= 0xf0 && b1 <= 0xf7) {
    const b2 = buf[i + 1];
    const bad2 = (x: number): boolean => (b1 === 0xf0 && (x < 0x90 || x > 0xbf)) || (b1 === 0xf4 && (x & 0xf0) !== 0x80) || !cont(x);
    if (left < 4) {
      if (b1 > 0xf4 || (left > 1 && bad2(b2))) return { n: 1, bad: true };
      if (left > 2 && !cont(buf[i + 2])) return { n: 2, bad: true };
      return { n: left, bad: true };
    }
    const b3 = buf[i + 2];
    const b4 = buf[i + 3];
    const cp = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
    if (!cont(b2) || !cont(b3) || !cont(b4) || cp < 0x10000 || cp > 0x10ffff) {
      if (b1 > 0xf4 || bad2(b2)) return { n: 1, bad: true };
      return { n: cont(b3) ? 3 : 2, bad: true };
    }
    return { n: 4, bad: false };
  }
  return { n: 1, bad: true };
}

/** Bytes [start, end) as Java's decode-with-replacement then UTF-8 encode gives them. */
export function javaUtf8Bytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out: number[] = [];
  for (let i = start; i < end; ) {
    const { n, bad } = step(buf, i, end);
    if (bad) out.push(...FFFD);
    else for (let k = 0; k < n; k++) out.push(buf[i + k]);
    i += n;
  }
  return Uint8Array.from(out);
}
