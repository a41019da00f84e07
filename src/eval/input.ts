/**
 * Reading the evaluator's files: the views (first pass: the job's line rules,
 * each path's earliest time, a clean copy; second pass over the copy: test
 * paths' views kept, training views written for the job), and any file line
 * by line. Warnings about bad lines read as the job's (`FILE:LINE: bad view`).
 */
import * as fs from 'node:fs';
import { ExitError, UsageError } from '../io/cli';
import { Counters } from '../io/counters';
import { readAll } from '../io/fd';
import { LineSplitter } from '../io/lines';
import { FdSink, putBytes } from '../io/sink';
import { describeShape, inputShape } from '../core/input-shape';
import { Skips } from '../core/skips';
import { excerpt, TAB, trimCr, VIEW_SKIP_REASONS } from '../core/views';
import { PathViews } from './events';
import { noteFirstTime } from './split';
import { classifyTimedView, plainOrder, timedFields } from './views';

/** The job's exit code for an input that is not views (README: exit codes). */
export const EXIT_NOT_VIEWS = 60;

const NL = Buffer.from('\n');
/** The first bytes a not-views hint looks at, as run-job.sh's (runner/inspect-input.ts). */
const SAMPLE_BYTES = 64 << 10;
const PLAIN_TIME = /^\t-?\d+(\.\d+)?$/;

/** Calls onLine for each line of file (bytes valid during the call only). */
export function eachLine(file: string, onLine: (buf: Buffer, start: number, end: number) => void, onOverlong?: (n: number) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const lines = new LineSplitter(onLine, onOverlong);
    readAll(fd, (chunk) => lines.push(chunk));
    lines.end();
  } finally {
    fs.closeSync(fd);
  }
}

export interface ScanResult {
  firstTimes: Map<string, number>;
  views: number;
  counters: Counters;
}

const REASON_WORDS: Record<string, string> = {
  wrong_field_count: 'wrong field count',
  empty_field: 'empty field',
  null_id: 'NULL id',
  too_long: 'too long',
  long_id: 'product id over 255 bytes',
  bad_time: 'time not a number',
};

/** Pass 1: checks every line, notes each path's earliest time, copies the views (line as read) to `copy`. */
export function scanViews(file: string, copy: string, warn: (m: string) => void): ScanResult {
  const counters = new Counters(['lines', 'header_lines', ...[...VIEW_SKIP_REASONS, 'bad_time'].map((r) => `skipped_${r}`)]);
  const skips = new Skips(counters, false, warn, 'view', file);
  const firstTimes = new Map<string, number>();
  const f = timedFields();
  const out = fs.openSync(copy, 'w');
  const sink = new FdSink(out);
  let views = 0;
  let lineNo = 0;
  try {
    eachLine(
      file,
      (buf, start, end) => {
        lineNo++;
        const verdict = classifyTimedView(buf, start, end, f);
        if (verdict === 'ok') {
          views++;
          noteFirstTime(firstTimes, buf.toString('latin1', f.pathStart, f.pathEnd), f.time);
          const e = trimCr(buf, start, end);
          putBytes(sink, buf, start, e);
          putBytes(sink, NL, 0, 1);
        } else if (verdict === 'header') counters.add('header_lines');
        else if (verdict === 'no_time' && views === 0) {
          throw new UsageError(`${file}:${lineNo}: no time column: wanted path_id<TAB>product_id<TAB>time, got "${excerpt(buf, start, end)}"; ${NO_TIME_HINT}`);
        } else {
          const reason = verdict === 'no_time' ? 'wrong_field_count' : verdict;
          skips.skip(reason, lineNo, buf, start, end, REASON_WORDS[reason]);
        }
      },
      () => skips.skip('too_long', ++lineNo, null, 0, 0, 'too long'),
    );
    sink.flush();
  } finally {
    fs.closeSync(out);
  }
  counters.add('lines', lineNo);
  checkViews(file, views, counters);
  return { firstTimes, views, counters };
}

/** Skipped lines in all, and by reason in words ('' when none). */
export function skippedLines(c: Counters): { skipped: number; why: string } {
  const reasons = Object.keys(REASON_WORDS).map((r) => [REASON_WORDS[r], c.get(`skipped_${r}`)] as const);
  const why = reasons.filter(([, n]) => n > 0).map(([w, n]) => `${w} ${n}`).join(', ');
  return { skipped: reasons.reduce((s, [, n]) => s + n, 0), why };
}

/** The way forward from views without times: the export that has them, or a third column. */
const NO_TIME_HINT = "export them with their times with ./run-job.sh --export-views FILE (docs/mysql.md), or add each view's time as a third column";

/** What FILE's first lines look like and how to convert them (the job's input-shape hint, for views with times). */
function shapeHint(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = fs.readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    return describeShape(inputShape(buf.subarray(0, n)), 'its lines', true);
  } finally {
    fs.closeSync(fd);
  }
}

/** The job's rule: no valid view, or 90% or more of the lines (headers aside) skipped, is not views. */
function checkViews(file: string, views: number, c: Counters): void {
  const lines = c.get('lines') - c.get('header_lines');
  const { skipped, why } = skippedLines(c);
  if (views > 0 && skipped * 10 < lines * 9) return;
  throw new ExitError(
    (views === 0
      ? `no valid views in ${file} (${skipped} of ${lines} lines skipped${why ? `: ${why}` : ''})`
      : `${skipped} of ${lines} lines of ${file} skipped (${why}): 90% or more, so the input is not views`) + `; ${shapeHint(file)}`,
    EXIT_NOT_VIEWS,
  );
}

/**
 * Pass 2 over the clean copy: the test paths' views in memory, every other view
 * to `train` as path<TAB>product<TAB>order (the time as the job's order column
 * wants it: proximity and --window read it, the other scores drop it).
 */
export function splitViews(copy: string, test: ReadonlySet<string>, train: string): Map<string, PathViews> {
  const testViews = new Map<string, PathViews>();
  const out = fs.openSync(train, 'w');
  const sink = new FdSink(out);
  try {
    eachLine(copy, (buf, start, end) => {
      const t1 = buf.indexOf(TAB, start);
      const t2 = buf.lastIndexOf(TAB, end - 1);
      const path = buf.toString('latin1', start, t1);
      if (!test.has(path)) {
        putBytes(sink, buf, start, t2);
        const time = buf.toString('latin1', t2, end);
        // Mostly written as read; the rare exponent or '+' is rewritten.
        if (PLAIN_TIME.test(time)) putBytes(sink, buf, t2, end);
        else {
          const plain = Buffer.from(`\t${plainOrder(time.slice(1))}`, 'latin1');
          putBytes(sink, plain, 0, plain.length);
        }
        putBytes(sink, NL, 0, 1);
        return;
      }
      let v = testViews.get(path);
      if (v === undefined) testViews.set(path, (v = { times: [], products: [] }));
      v.products.push(buf.toString('latin1', t1 + 1, t2));
      v.times.push(Number(buf.toString('latin1', t2 + 1, end)));
    });
    sink.flush();
  } finally {
    fs.closeSync(out);
  }
  return testViews;
}
