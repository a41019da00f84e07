import { excerpt } from '../src/core/views';
import { classifyViewText } from './helpers/text-forms';

describe('classifyView (phase-1 input rules)', () => {
  const cases: Array<[string, string, string, string | null, string | null]> = [
    ['plain row', '1\t2', 'ok', '1', '2'],
    ['CRLF row', '1\t2\r', 'ok', '1', '2'],
    ['only one CR dropped', '1\t2\r\r', 'ok', '1', '2\r'],
    ['leading zeros kept', '007\t0042', 'ok', '007', '0042'],
    ['case kept', '85123A\t85123a', 'ok', '85123A', '85123a'],
    ['ids past 2^53 are opaque text', '9007199254740993\t18446744073709551617', 'ok', '9007199254740993', '18446744073709551617'],
    ['spaces are part of ids', ' a \t b ', 'ok', ' a ', ' b '],
    ['mysql --batch escapes stay opaque', 'p\\t1\ta\\\\b', 'ok', 'p\\t1', 'a\\\\b'],
    ['lower-case null is an id', 'null\tNull', 'ok', 'null', 'Null'],
    ['header', 'path_id\tproduct_id', 'header', null, null],
    ['header with CRLF', 'path_id\tproduct_id\r', 'header', null, null],
    ['empty line', '', 'wrong_field_count', null, null],
    ['lone CR', '\r', 'wrong_field_count', null, null],
    ['no TAB', '12345', 'wrong_field_count', null, null],
    ['three fields', '1\t2\t3', 'wrong_field_count', null, null],
    ['trailing TAB makes three fields', '1\t2\t', 'wrong_field_count', null, null],
    ['empty path', '\t2', 'empty_field', null, null],
    ['empty product', '1\t', 'empty_field', null, null],
    ['empty product before CR', '1\t\r', 'empty_field', null, null],
    ['both empty', '\t', 'empty_field', null, null],
    ['NULL path', 'NULL\t2', 'null_id', null, null],
    ['NULL product', '1\tNULL', 'null_id', null, null],
    ['NULL product with CRLF', '1\tNULL\r', 'null_id', null, null],
    ['NULL inside an id is fine', 'NULLS\tXNULL', 'ok', 'NULLS', 'XNULL'],
  ];
  test.each(cases)('%s', (_name, line, verdict, path, product) => {
    const r = classifyViewText(line);
    expect(r.verdict).toBe(verdict);
    if (verdict === 'ok') expect([r.path, r.product]).toEqual([path, product]);
  });

  test('non-UTF-8 bytes are valid id bytes', () => {
    const r = classifyViewText('\xff\xfe\t\x80\x81');
    expect(r).toEqual({ verdict: 'ok', path: '\xff\xfe', product: '\x80\x81' });
  });

  test('excerpt escapes control and non-ASCII bytes and cuts long lines', () => {
    const b = Buffer.from('a\tb\r\xff\\', 'latin1');
    expect(excerpt(b, 0, b.length)).toBe('a\\tb\\r\\xff\\x5c');
    const long = Buffer.from('z'.repeat(200));
    expect(excerpt(long, 0, long.length, 10)).toBe('zzzzzzzzzz...');
  });
});
