/** Table tests of the server's pure parts: id encoding, the option file, n, catalog and result parsing, escaping. */
import { Catalog, CatalogError } from '../src/serve/catalog';
import { ResultLoader } from '../src/serve/file-store';
import { escapeHtml } from '../src/serve/html';
import { decodeSegment, encodeId, idJsonFields, isUtf8 } from '../src/serve/ids';
import { OptionFileError, parseOptionFile } from '../src/serve/option-file';
import { serveConfig, SERVE_OPTIONS } from '../src/serve/options';
import { parseN, queryParam } from '../src/serve/routes';
import { parseOptions, UsageError } from '../src/io/cli';

describe('ids in URLs', () => {
  test.each([
    [Buffer.from('abc-1.2_~'), 'abc-1.2_~'],
    [Buffer.from('a b'), 'a%20b'],
    [Buffer.from('x/y?z#w'), 'x%2Fy%3Fz%23w'],
    [Buffer.from('50%+'), '50%25%2B'],
    [Buffer.from('café'), 'caf%C3%A9'],
    [Buffer.from([0xff, 0x00, 0x0a]), '%FF%00%0A'],
  ])('%j <-> %s', (id, url) => {
    expect(encodeId(id)).toBe(url);
    expect(decodeSegment(url)).toEqual(id);
  });

  test.each(['%', '%2', '%GG', 'a%zz'])('%j is not a valid segment', (s) => expect(decodeSegment(s)).toBeNull());

  test('lower-case hex and raw bytes decode too', () => {
    expect(decodeSegment('caf%c3%a9')).toEqual(Buffer.from('café'));
    expect(decodeSegment('\u00ff')).toEqual(Buffer.from([0xff]));
  });

  test('JSON: UTF-8 ids as text; others as text with U+FFFD plus the exact bytes, percent-encoded', () => {
    expect(isUtf8(Buffer.from('café'))).toBe(true);
    expect(isUtf8(Buffer.from([0x66, 0xff]))).toBe(false);
    expect(JSON.parse(`{${idJsonFields('product', Buffer.from('a"b'))}}`)).toEqual({ product: 'a"b' });
    expect(JSON.parse(`{${idJsonFields('product', Buffer.from([0x66, 0xff]))}}`)).toEqual({ product: 'f\ufffd', product_url: 'f%FF' });
  });
});

describe('the option file', () => {
  test('reads [client] and [mysql], quoted values, comments; ignores other groups', () => {
    const text = [
      '# comment',
      '[mysqld]',
      'user=mysql',
      '[client]',
      'user = web ; not a comment inside a value',
      'password = "p w\\"#x"   # comment',
      "host='db.internal'",
      'port=3307',
      'ssl-mode=REQUIRED',
      '[mysql]',
      'database=shop',
      'socket=/run/mysqld/mysqld.sock # here',
    ].join('\n');
    expect(parseOptionFile(text)).toEqual({
      user: 'web ; not a comment inside a value',
      password: 'p w"#x',
      host: 'db.internal',
      port: 3307,
      database: 'shop',
      socket: '/run/mysqld/mysqld.sock',
      // Mapped to the pool's TLS (it was once ignored: the connection went unencrypted).
      ssl: { mode: 'REQUIRED' },
    });
  });

  test.each([
    ['[client]\n!include /etc/other.cnf\n', /!include is not supported/],
    ['[client]\nport=abc\n', /:2: port is not a number/],
  ])('%j is refused', (text, message) => {
    expect(() => parseOptionFile(text, 'f.cnf')).toThrow(OptionFileError);
    expect(() => parseOptionFile(text, 'f.cnf')).toThrow(message);
  });
});

describe('options and query', () => {
  const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => serveConfig(parseOptions(argv, SERVE_OPTIONS), env);

  test('a file source, or the database from options or the job\'s environment variables', () => {
    expect(config(['--result', 'r.tsv']).source).toEqual({ kind: 'file', file: 'r.tsv' });
    expect(config([], { VP_DB_DEFAULTS_FILE: 'db.cnf', VP_DATABASE: 'shop' }).source).toEqual({
      kind: 'mysql',
      defaultsFile: 'db.cnf',
      database: 'shop',
      table: 'viewed_products',
    });
    expect(config(['--result', 'r.tsv'], { VP_DATABASE: 'shop' }).source.kind).toBe('file');
  });

  test.each([
    [[], /give the lists/],
    [['--result', 'r', '--database', 'shop'], /not both/],
    [['--database', 'shop'], /needs --db-defaults-file/],
    [['--db-defaults-file', 'f', '--database', 'shop', '--table', 'x; drop'], /--table: not a valid name/],
    [['--result', 'r', '--catalog-table', 'c'], /--catalog-table reads the database/],
    [['--result', 'r', '--port', '70000'], /--port must be from 0 to 65535/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => config(argv)).toThrow(UsageError);
    expect(() => config(argv)).toThrow(message);
  });

  test.each([
    [undefined, 10],
    ['1', 1],
    ['100', 100],
    ['007', 7],
  ])('n=%j is %d', (raw, n) => expect(parseN(raw)).toBe(n));

  test.each(['0', '101', '', 'x', '-3', '1.0', '9999999'])('n=%j is refused', (raw) => expect(typeof parseN(raw)).toBe('string'));

  test('queryParam takes the first value, raw', () => {
    expect(queryParam('a=1&n=5&n=6', 'n')).toBe('5');
    expect(queryParam('q=a%20b', 'q')).toBe('a%20b');
    expect(queryParam('nn=1', 'n')).toBeUndefined();
  });
});

describe('parsing', () => {
  test('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  test('catalog lines: names as UTF-8, only http(s) images', () => {
    const c = Catalog.parse(Buffer.from('a\tA\nb\tB\thttps://x/b.png\r\nc\tC\tjavascript:alert(1)\n\n'), 'cat');
    expect(c.get(Buffer.from('a'))).toEqual({ name: 'A', image: null, category: null, available: true });
    expect(c.get(Buffer.from('b'))).toEqual({ name: 'B', image: 'https://x/b.png', category: null, available: true });
    expect(c.get(Buffer.from('c'))).toEqual({ name: 'C', image: null, category: null, available: true });
    expect(c.findByName('b', 10)).toEqual([Buffer.from('b')]);
    expect(() => Catalog.parse(Buffer.from('no-tab\n'), 'cat')).toThrow(CatalogError);
    expect(() => Catalog.parse(Buffer.from('a\tb\tc\td\n'), 'cat')).toThrow('cat: line 1 is not product_id<TAB>name[<TAB>image_url]');
  });

  test.each([
    ['a\tb\n', /line 1 is not a result row/],
    ['a\tb\tx\n', /line 1 is not a result row/],
    ['a\tb\t1\tnan\n', /line 1 is not a result row/],
    ['a\tb\t1\n a\tc\t2\t0.5\n', /line 2 .*\(3 columns before\)/],
  ])('%j is not a result file', (text, message) => {
    const loader = new ResultLoader(10);
    const buf = Buffer.from(text);
    expect(() => {
      let start = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
        loader.line(buf, start, nl);
        start = nl + 1;
      }
    }).toThrow(message);
  });

  test('the loader keeps each source\'s best rows, in the contract\'s order, whatever the line order', () => {
    const loader = new ResultLoader(2);
    const buf = Buffer.from('s\tc\t5\ns\ta\t5\nt\tx\t1\ns\tb\t9\ns\td\t1\n');
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      loader.line(buf, start, nl);
      start = nl + 1;
    }
    expect(loader.finish().get('s')).toEqual({
      rows: [
        { target: 'b', count: '9', score: null },
        { target: 'a', count: '5', score: null },
      ],
      coViews: 20,
      related: 4,
    });
  });
});
