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
  /** The separator the lines use when they hold no TAB: ';', ',', '|', 'spaces', or null if none fits. */
  separator: string | null;
  /** Fields per line with that separator (TAB when tabLines > 0); 0 when unknown. */
  fields: number;
  /** Whether the first line looks like a header (names, where later lines hold numbers or ids). */
  header: boolean;
  /** 1-based columns to keep as path and product (guessed from header names, else 1 and 2). */
  pathColumn: number;
  productColumn: number;
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
/** Words of column names: ids such as `s1` or `item-7` are names too, but rarely say `session` or `id`. */
const COLUMN_WORD = /id\b|id"?$|Id|path|session|visit|product|item|sku|article|user|time|date/i;

/** Whether the fields `first` of the first line look like column names, unlike the second line's. */
function isHeader(first: string[], second: string[]): boolean {
  const names = (fields: string[]) => fields.every((f) => NAME.test(f)) && fields.some((f) => COLUMN_WORD.test(f));
  return names(first) && !names(second);
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
  let separator: string | null = null;
  let fields = 0;
  let split: (line: string) => string[] = (line) => [line];
  if (tabLines > 0) {
    split = (line) => line.split('\t');
    fields = split(lines[0]).length;
  } else {
    for (const [name, re] of SEPARATORS) {
      const counts = lines.map((l) => l.trim().split(re).length);
      if (counts.length > 0 && counts[0] >= 2 && counts.every((c) => c === counts[0])) {
        separator = name;
        fields = counts[0];
        split = (line) => line.trim().split(re);
        break;
      }
    }
  }
  const first = lines.length > 0 ? split(lines[0]) : [];
  const header = lines.length > 1 && isHeader(first, split(lines[1]));
  const [pathColumn, productColumn] = header ? guessColumns(first) : [1, 2];
  return {
    lines: lines.length,
    tabLines,
    separator,
    fields,
    header,
    pathColumn,
    productColumn,
    firstLine: raw.length > 0 ? excerpt(raw[0], 0, raw[0].length) : '',
  };
}

/** awk's -F for a separator, shell-quoted; spaces are awk's default. */
function awkSeparator(separator: string): string {
  return separator === 'spaces' ? '' : ` -F'${separator}'`;
}

/** One sentence: what the input's lines (`subject`, as "the lines of FILE") look like and how to get views from them. */
export function describeShape(s: InputShape, subject: string): string {
  if (s.lines === 0) return `${subject} hold no text`;
  const first = `first line: "${s.firstLine}"`;
  const keep = `$${s.pathColumn}, $${s.productColumn}`;
  const skipHeader = s.header ? 'NR > 1 ' : '';
  if (s.tabLines > 0) {
    if (s.fields === 2) return `${subject} hold two TAB-separated fields (${first}): see the warnings above for why they were skipped`;
    const cols = `${s.pathColumn},${s.productColumn}`;
    return (
      `${subject} hold ${s.fields} TAB-separated fields (${first}): keep the path and product columns, ` +
      `e.g. awk -F'\\t' -v OFS='\\t' '${skipHeader}{print ${keep}}' (cut -f${cols})`
    );
  }
  const advice = 'export with mysql --batch (path_id<TAB>product_id) or convert';
  if (s.separator === null) return `${subject} hold no TAB and no consistent separator (${first}): ${advice}`;
  const looks = s.separator === 'spaces' ? 'space-separated' : `'${s.separator}'-separated`;
  return (
    `${subject} hold no TAB and look ${looks}, ${s.fields} fields (${first}): ${advice}, ` +
    `e.g. awk${awkSeparator(s.separator)} -v OFS='\\t' '${skipHeader}{print ${keep}}'`
  );
}
