/**
 * What an input that holds (nearly) no valid views looks like, from its first
 * bytes: whether its lines hold a TAB, and if not which separator (';', ',',
 * '|' or spaces) splits them into the same number of fields, with a command
 * that converts it. run-job.sh prints this only when a run fails with exit 60.
 */
import { excerpt, TAB } from './views';

/** Lines looked at: enough to see a consistent separator, few enough to read at once. */
export const SAMPLE_LINES = 20;

export interface InputShape {
  /** Lines looked at (non-empty, '\r' dropped). */
  lines: number;
  /** Lines among them holding a TAB. */
  tabLines: number;
  /** Whether most lines hold a TAB (then `fields` counts TAB-separated fields). */
  tab: boolean;
  /** Otherwise the separator most lines use: ';', ',', '|', 'spaces', or null if none fits. */
  separator: string | null;
  /** Fields per line, as most lines hold them; 0 when unknown. */
  fields: number;
  /** Whether the first line is no data: column names, or a title (other fields than most lines). */
  header: boolean;
  /** 1-based columns to keep as path and product (guessed from header names, else 1 and 2). */
  pathColumn: number;
  productColumn: number;
  /** 1-based column of the view's time, for dist/evaluate.js (a header name with time/date, else the last of 3 or more); 0 when none. */
  timeColumn: number;
  /** The first line, escaped and cut for printing. */
  firstLine: string;
}

const SEPARATORS: ReadonlyArray<[string, RegExp]> = [
  [';', /;/],
  [',', /,/],
  ['|', /\|/],
  ['spaces', / +/],
];

function splitSample(sample: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  while (start < sample.length && lines.length < SAMPLE_LINES) {
    let end = sample.indexOf(0x0a, start);
    // A last line cut by the sample's end is left out unless it is the only one.
    if (end === -1) {
      if (lines.length > 0) break;
      end = sample.length;
    }
    let e = end;
    if (e > start && sample[e - 1] === 0x0d) e--;
    if (e > start) lines.push(sample.subarray(start, e));
    start = end + 1;
  }
  return lines;
}

const NAME = /^"?[A-Za-z_][A-Za-z0-9_ .-]*"?$/;
/** Known column names, whole, once quotes, case and `_ .-` are dropped: `session_id`, `itemId`, `eventdate`. */
const COLUMN_NAME =
  /^(?:(?:session|user|item|product|path|visit|article|customer|event|page)(?:id|sku)?|id|sku|time(?:stamp|frame)?|(?:event)?date)$/;
const DIGIT = /[0-9]/;

function isColumnName(field: string): boolean {
  return COLUMN_NAME.test(field.replace(/["_ .-]/g, '').toLowerCase());
}

/**
 * Whether the first line's fields `first` are column names rather than data,
 * given the later lines' fields `rest`: all are names, and either one is a
 * known column name the second line does not hold, or none holds a digit
 * while some column holds one on every later line (ids such as `s1`).
 */
function isHeader(first: string[], rest: string[][]): boolean {
  if (rest.length === 0 || !first.every((f) => NAME.test(f))) return false;
  if (first.some(isColumnName) && !rest[0].some(isColumnName)) return true;
  return !first.some((f) => DIGIT.test(f)) && first.some((_, c) => rest.every((r) => DIGIT.test(r[c] ?? '')));
}

/** The most common of `counts` when more than half the lines have it, else 0. */
function mostCommon(counts: number[]): number {
  const seen = new Map<number, number>();
  for (const c of counts) seen.set(c, (seen.get(c) ?? 0) + 1);
  for (const [c, n] of seen) if (n * 2 > counts.length) return c;
  return 0;
}

function guessColumns(names: string[]): [number, number] {
  const find = (re: RegExp): number => names.findIndex((n) => re.test(n));
  const path = find(/path|session|visit/i);
  const product = find(/product|item|sku|article/i);
  if (path === -1 || product === -1 || path === product) return [1, 2];
  return [path + 1, product + 1];
}

/** The shape of the input whose first bytes are `sample`. */
export function inputShape(sample: Uint8Array): InputShape {
  const raw = splitSample(sample);
  const lines = raw.map((l) => Buffer.from(l).toString('latin1'));
  const tabLines = raw.filter((l) => l.includes(TAB)).length;
  const tab = tabLines * 2 > lines.length;
  let separator: string | null = null;
  let fields = 0;
  let split: (line: string) => string[] = (line) => [line];
  if (tab) {
    split = (line) => line.split('\t');
    fields = mostCommon(lines.map((l) => split(l).length));
  } else {
    for (const [name, re] of SEPARATORS) {
      const count = mostCommon(lines.map((l) => l.trim().split(re).length));
      if (count >= 2) {
        separator = name;
        fields = count;
        split = (line) => line.trim().split(re);
        break;
      }
    }
  }
  const first = lines.length > 0 ? split(lines[0]) : [];
  const rest = lines.slice(1).map(split);
  const names = isHeader(first, rest);
  const title = fields > 0 && first.length !== fields && rest.length > 0 && rest.every((r) => r.length === fields);
  const [pathColumn, productColumn] = names ? guessColumns(first) : [1, 2];
  const named = names ? first.findIndex((n) => /time|date|stamp/i.test(n)) + 1 : 0;
  const timeColumn = named > 0 ? named : fields >= 3 ? fields : 0;
  return {
    lines: lines.length,
    tabLines,
    tab,
    separator,
    fields,
    header: names || title,
    pathColumn,
    productColumn,
    timeColumn,
    firstLine: raw.length > 0 ? excerpt(raw[0], 0, raw[0].length) : '',
  };
}

/** awk's -F for a separator, shell-quoted; spaces are awk's default. */
function awkSeparator(separator: string): string {
  return separator === 'spaces' ? '' : ` -F'${separator}'`;
}

/** What the lines should be, how to get them, and the columns a conversion keeps: views (the job's), or views with times (dist/evaluate.js's). */
function wanted(s: InputShape, timed: boolean): { advice: string; keep: string | null; cols: string | null } {
  if (!timed) {
    return { advice: 'export with mysql --batch (path_id<TAB>product_id) or convert', keep: `$${s.pathColumn}, $${s.productColumn}`, cols: `${s.pathColumn},${s.productColumn}` };
  }
  const advice = 'export them with their times with ./run-job.sh --export-views FILE (path_id<TAB>product_id<TAB>time; docs/mysql.md) or convert';
  if (s.timeColumn === 0) return { advice: `${advice}, adding each view's time as a third column`, keep: null, cols: null };
  const cols = [s.pathColumn, s.productColumn, s.timeColumn];
  // cut keeps columns in file order: offered only when that is path, product, time.
  const ordered = cols[0] < cols[1] && cols[1] < cols[2];
  return { advice, keep: cols.map((c) => `$${c}`).join(', '), cols: ordered ? cols.join(',') : null };
}

/**
 * One sentence: what the input's lines (`subject`, as "the lines of FILE") look
 * like and how to get views from them; `timed`: views with their times, as
 * dist/evaluate.js reads them.
 */
export function describeShape(s: InputShape, subject: string, timed = false): string {
  if (s.lines === 0) return `${subject} hold no text`;
  const first = `first line: "${s.firstLine}"`;
  const { advice, keep, cols } = wanted(s, timed);
  const skipHeader = s.header ? 'NR > 1 ' : '';
  const columns = timed ? 3 : 2;
  if (s.tab) {
    if (s.fields === 0) return `${subject} hold TABs but no consistent number of fields (${first}): ${advice}`;
    if (s.fields === columns) return `${subject} hold ${columns === 2 ? 'two' : 'three'} TAB-separated fields (${first}): see the warnings above for why they were skipped`;
    if (keep === null) return `${subject} hold ${s.fields} TAB-separated fields and no time (${first}): ${advice}`;
    return (
      `${subject} hold ${s.fields} TAB-separated fields (${first}): keep the ${timed ? 'path, product and time' : 'path and product'} columns, ` +
      `e.g. awk -F'\\t' -v OFS='\\t' '${skipHeader}{print ${keep}}'${cols === null ? '' : ` (cut -f${cols})`}`
    );
  }
  const noTab = s.tabLines === 0 ? 'no TAB' : 'mostly no TAB';
  if (s.separator === null) return `${subject} hold ${noTab} and no consistent separator (${first}): ${advice}`;
  const looks = s.separator === 'spaces' ? 'space-separated' : `'${s.separator}'-separated`;
  const example = keep === null ? '' : `, e.g. awk${awkSeparator(s.separator)} -v OFS='\\t' '${skipHeader}{print ${keep}}'`;
  return `${subject} hold ${noTab} and look ${looks}, ${s.fields} fields (${first}): ${advice}${example}`;
}
