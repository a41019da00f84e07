/** What an input that is not views looks like: inputShape and describeShape, table tests. */
import { describeShape, inputShape } from '../src/core/input-shape';

const shape = (text: string) => inputShape(Buffer.from(text, 'latin1'));

describe('inputShape', () => {
  test.each([
    ['Diginetica (; and a header)', 'session_id;userId;itemId;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n1;NA;31331;1031018;2016-05-09\n',
      { tabLines: 0, separator: ';', fields: 5, header: true, pathColumn: 1, productColumn: 3 }],
    ['comma CSV with a header', 'product_id,path_id\n7,1\n8,1\n', { separator: ',', fields: 2, header: true, pathColumn: 2, productColumn: 1 }],
    ['ids that look like words are no header', 's1,p7\ns1,p8\n', { header: false, pathColumn: 1, productColumn: 2 }],
    ['a header of quoted names', '"visitId","productSku"\n"v1","k1"\n', { header: true, pathColumn: 1, productColumn: 2 }],
    ['comma CSV without a header', '1,7\n1,8\n', { separator: ',', fields: 2, header: false, pathColumn: 1, productColumn: 2 }],
    ['CRLF lines', '1|7\r\n1|8\r\n', { separator: '|', fields: 2 }],
    ['spaces, runs of them', '1 7\n1    8\n', { separator: 'spaces', fields: 2 }],
    ['no consistent separator', '1;2\n1,2,3\nx\n', { tabLines: 0, separator: null, fields: 0 }],
    ['TAB lines, 4 fields (MovieLens u.data)', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n', { tabLines: 2, tab: true, separator: null, fields: 4, header: false }],
    ['TAB lines, the field count most of them hold', '1\t2\t3\n4\t5\n6\t7\n', { tab: true, fields: 2 }],
    ['19 \';\' lines and one TAB line', `${'a;b\n'.repeat(19)}1\t2\n`, { tabLines: 1, tab: false, separator: ';', fields: 2, header: false }],
    ['a title line, then TAB lines', 'Views of May\n196\t242\t3\t881250949\n186\t302\t3\t891717742\n',
      { tabLines: 2, tab: true, fields: 4, header: true, pathColumn: 1, productColumn: 2 }],
    ['a title line, then \';\' lines', 'Views of May\n1;7;x\n1;8;y\n', { separator: ';', fields: 3, header: true }],
    ['column names over ids that hold column words', 'session;product\ns1;item-7\ns2;item-8\n', { header: true, pathColumn: 1, productColumn: 2 }],
    ['unknown names over ids with digits', 'sess;prod;x\ns1;p7;a\ns2;p8;b\n', { header: true, pathColumn: 1, productColumn: 2 }],
    ['words ending in id are no column names', 'u1;paid\nu2;7\nu3;android\n', { separator: ';', header: false }],
    ['data of words is no header', 'home;kitchen\nhome;garden\n', { header: false }],
    ['column names in the data too are no header', 'item;user\nitem;user\n', { header: false }],
    ['empty', '', { lines: 0, fields: 0 }],
    ['one line without its newline', 'a;b', { lines: 1, separator: ';', fields: 2 }],
  ] as Array<[string, string, object]>)('%s', (_name, text, expected) => {
    expect(shape(text)).toMatchObject(expected);
  });

  test('a line cut by the sample end is left out; the first line is escaped for printing', () => {
    const s = shape('a;b\x01\nc;d\ne;');
    expect(s).toMatchObject({ lines: 2, separator: ';', fields: 2, firstLine: 'a;b\\x01' });
  });
});

describe('describeShape', () => {
  test.each([
    ['Diginetica', 'session_id;userId;itemId;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n',
      `its lines hold no TAB and look ';'-separated, 5 fields (first line: "session_id;userId;itemId;timeframe;eventdate"): ` +
        `export with mysql --batch (path_id<TAB>product_id) or convert, e.g. awk -F';' -v OFS='\\t' 'NR > 1 {print $1, $3}'`],
    ['spaces', '1 7\n2 8\n', `its lines hold no TAB and look space-separated, 2 fields (first line: "1 7"): ` +
      `export with mysql --batch (path_id<TAB>product_id) or convert, e.g. awk -v OFS='\\t' '{print $1, $2}'`],
    ['no separator', 'abc\nd;e\n', 'its lines hold no TAB and no consistent separator (first line: "abc"): export with mysql --batch (path_id<TAB>product_id) or convert'],
    ['TAB, 4 fields', '196\t242\t3\t881250949\n', `its lines hold 4 TAB-separated fields (first line: "196\\t242\\t3\\t881250949"): ` +
      `keep the path and product columns, e.g. awk -F'\\t' -v OFS='\\t' '{print $1, $2}' (cut -f1,2)`],
    ['TAB, 2 fields', '\ta\nNULL\tb\n', 'its lines hold two TAB-separated fields (first line: "\\ta"): see the warnings above for why they were skipped'],
    ['19 \';\' lines and one TAB line', `${'a;b\n'.repeat(19)}1\t2\n`, `its lines hold mostly no TAB and look ';'-separated, 2 fields (first line: "a;b"): ` +
      `export with mysql --batch (path_id<TAB>product_id) or convert, e.g. awk -F';' -v OFS='\\t' '{print $1, $2}'`],
    ['a title line, then TAB lines', 'Views of May\n196\t242\t3\t881250949\n186\t302\t3\t891717742\n',
      `its lines hold 4 TAB-separated fields (first line: "Views of May"): ` +
        `keep the path and product columns, e.g. awk -F'\\t' -v OFS='\\t' 'NR > 1 {print $1, $2}' (cut -f1,2)`],
    ['a header over ids that hold column words', 'session;product\ns1;item-7\n', `its lines hold no TAB and look ';'-separated, 2 fields (first line: "session;product"): ` +
      `export with mysql --batch (path_id<TAB>product_id) or convert, e.g. awk -F';' -v OFS='\\t' 'NR > 1 {print $1, $2}'`],
    ['TABs, no consistent field count', '1\t2\t3\n4\t5\n6\n7\t8\t9\t10\n', 'its lines hold TABs but no consistent number of fields (first line: "1\\t2\\t3"): export with mysql --batch (path_id<TAB>product_id) or convert'],
    ['empty', '', 'its lines hold no text'],
  ])('%s', (_name, text, expected) => {
    expect(describeShape(shape(text), 'its lines')).toBe(expected);
  });
});

describe('describeShape for views with times (dist/evaluate.js)', () => {
  test.each([
    ['Diginetica: the time column by its name', 'session_id;userId;itemId;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n',
      `its lines hold no TAB and look ';'-separated, 5 fields (first line: "session_id;userId;itemId;timeframe;eventdate"): ` +
        `export them with their times with ./run-job.sh --export-views FILE (path_id<TAB>product_id<TAB>time; docs/mysql.md) or convert, e.g. awk -F';' -v OFS='\\t' 'NR > 1 {print $1, $3, $4}'`],
    ['MovieLens u.data: the last of 4 TAB fields', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n',
      `its lines hold 4 TAB-separated fields (first line: "196\\t242\\t3\\t881250949"): keep the path, product and time columns, ` +
        `e.g. awk -F'\\t' -v OFS='\\t' '{print $1, $2, $4}' (cut -f1,2,4)`],
    ['two comma fields: no time to keep', '1,7\n1,8\n',
      `its lines hold no TAB and look ','-separated, 2 fields (first line: "1,7"): export them with their times with ./run-job.sh --export-views FILE ` +
        `(path_id<TAB>product_id<TAB>time; docs/mysql.md) or convert, adding each view's time as a third column`],
    ['columns out of order: awk only', 'time,product_id,path_id\n5,7,1\n6,8,1\n',
      `its lines hold no TAB and look ','-separated, 3 fields (first line: "time,product_id,path_id"): export them with their times with ./run-job.sh --export-views FILE ` +
        `(path_id<TAB>product_id<TAB>time; docs/mysql.md) or convert, e.g. awk -F',' -v OFS='\\t' 'NR > 1 {print $3, $2, $1}'`],
    ['three TAB fields', '\ta\t1\nNULL\tb\t2\n', 'its lines hold three TAB-separated fields (first line: "\\ta\\t1"): see the warnings above for why they were skipped'],
  ])('%s', (_name, text, expected) => {
    expect(describeShape(shape(text), 'its lines', true)).toBe(expected);
  });
});
