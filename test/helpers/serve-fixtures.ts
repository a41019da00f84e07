/** Small result files and catalogs for the serve tests: odd ids, scores with ties, hostile names. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const IDS = {
  space: Buffer.from('a b'),
  slash: Buffer.from('x/y'),
  percent: Buffer.from('50%'),
  utf8: Buffer.from('café', 'utf8'),
  invalid: Buffer.from([0x66, 0xff, 0x6f]),
  zeros: Buffer.from('007'),
  seven: Buffer.from('7'),
  xss: Buffer.from('xss-1'),
};

const I = IDS;
/** source, target, count, score: rows in no particular order (consumers must not rely on it). */
export const SCORED_ROWS: Array<[Buffer, Buffer, number, string]> = [
  [I.space, I.percent, 9, '0.250000'],
  [I.invalid, I.space, 2, '0.500000'],
  [I.space, I.slash, 3, '0.500000'],
  [I.slash, I.space, 3, '0.500000'],
  [I.space, I.invalid, 2, '0.500000'],
  [I.percent, I.space, 9, '0.250000'],
  [I.space, I.zeros, 1, '0.900000'],
  [I.utf8, I.space, 2, '0.500000'],
  [I.space, I.utf8, 2, '0.500000'],
  [I.zeros, I.space, 1, '0.900000'],
  [I.invalid, I.seven, 4, '1.00000e-01'],
  [I.seven, I.invalid, 4, '0.100000'],
  [I.space, I.xss, 1, '0.0500000'],
  [I.xss, I.space, 1, '0.0500000'],
];

/** 'a b''s list, best first by the contract: score desc, count desc, target bytes asc. */
export const SPACE_LIST = [I.zeros, I.slash, I.utf8, I.invalid, I.percent, I.xss];

export const XSS_NAME = '<script>alert(1)</script>';

export function writeScoredFixture(dir: string): { result: string; catalog: string } {
  const tab = Buffer.from('\t');
  const nl = Buffer.from('\n');
  const result = path.join(dir, 'scored.tsv');
  fs.writeFileSync(
    result,
    Buffer.concat(SCORED_ROWS.flatMap(([s, t, c, sc]) => [s, tab, t, tab, Buffer.from(`${c}\t${sc}`), nl])),
  );
  const catalog = path.join(dir, 'catalog.tsv');
  fs.writeFileSync(
    catalog,
    Buffer.concat([
      Buffer.from(`xss-1\t${XSS_NAME}\tjavascript:alert(1)\n`),
      Buffer.from('a b\tTent "Alpine" & <b>co</b>\thttps://img.example/tent.png\n'),
      Buffer.from('café\tCafé crème\n'),
    ]),
  );
  return { result, catalog };
}
