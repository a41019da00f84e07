/**
 * The production job against the run's MariaDB (./mariadb-shared.ts), for
 * the db-job suites: a database of the suite's own holding a data set's views,
 * the local runner's result for them (made once per run, checked against the
 * reference on a sample of its lists), and the job started
 * as a person or cron would, in its own process group, with a marker in its
 * environment to find every process of the run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataViews, ROOT, sh, tmpDir } from './exec';
import { JobUser, MariaDb, stagingDatabase } from './mariadb';
import { jobDatabase, jobDatabaseOn, ownMariaDb } from './mariadb-shared';
import { sharedOnce } from './once';
import { killGroup } from './procs';
import { referenceLinesFor } from './reference';

/** The staging tables of a run (TABLE__new_ID, TABLE__old_ID), or of a run before they were named per run. */
export const STAGING = /__(new|old)(_[0-9a-f]{8})?$/;

export interface JobResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface Job {
  child: ChildProcess;
  mark: string;
  done: Promise<JobResult>;
}

type DataSet = 'movielens' | 'diginetica';

/** A data set's views through the local runner (no database), once per jest run: the table every full import must equal. */
const expectedTables = {
  movielens: sharedOnce<string>('db-movielens-expected', () => expectedTable('movielens')),
  diginetica: sharedOnce<string>('db-diginetica-expected', () => expectedTable('diginetica')),
};

async function expectedTable(which: DataSet): Promise<{ value: string }> {
  const dir = tmpDir('vp-db-expected-');
  const views = dataViews(which, dir);
  const r = sh(`./run-job.sh --input '${views}' --output '${dir}/expected' --reducers 1`);
  if (r.code !== 0) throw new Error(r.stderr);
  const file = path.join(dir, 'expected', 'viewed_products.tsv');
  // The job's own result, so checked against the reference (./reference.ts) on a sample of about 60 of its lists.
  const lines = fs.readFileSync(file, 'latin1').split('\n').filter((l) => l !== '');
  const step = Math.max(1, Math.floor(lines.length / 60));
  const sources = new Set(lines.filter((_, i) => i % step === 0).map((l) => l.split('\t')[0]));
  const viewLines = fs.readFileSync(views, 'latin1').split('\n').filter((l) => l !== '' && !l.startsWith('path_id\t'));
  const sample = lines.filter((l) => sources.has(l.split('\t')[0])).map((l) => `${l}\n`).join('');
  if (sources.size < 20 || sample !== referenceLinesFor(viewLines, sources)) throw new Error(`the local runner's result for ${which} differs from the reference (sources ${[...sources].join(' ')})`);
  return { value: file };
}

/** A suite's database (a data set's views in recent_items) and the job against it. */
export class DbJob {
  private constructor(
    readonly db: MariaDb,
    readonly job: JobUser,
    readonly database: string,
    readonly work: string,
    /** The local runner's result for the same views. */
    readonly expectedFile: string,
  ) {}

  /**
   * DATABASE, new, with db/schema.sql and the views of WHICH (MovieLens where a run must last long
   * enough to be interrupted in each stage); WORK a folder the suite removes.
   */
  static async create(database: string, which: DataSet = 'movielens', server: 'shared' | 'own' = 'shared'): Promise<DbJob> {
    const work = tmpDir('vp-db-test-');
    const { db, job } = server === 'shared' ? await jobDatabase(database) : jobDatabaseOn(await ownMariaDb(), database);
    const views = dataViews(which, work);
    db.sql(`LOAD DATA LOCAL INFILE '${views}' INTO TABLE recent_items (path_id, product_id)`, database);
    return new DbJob(db, job, database, work, await expectedTables[which]());
  }

  /** The suite's TMPDIR for the job: a killed run cannot remove its work folder, the suite's cleanup does. */
  jobTmp(): string {
    const dir = path.join(this.work, 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The job's environment: ours minus any VP_* / MYSQL_PWD, plus a marker to find its processes. */
  jobEnv(extra: Record<string, string>, mark: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VP_') && k !== 'MYSQL_PWD') env[k] = v;
    return { ...env, TMPDIR: this.jobTmp(), VP_LOCK_FILE: path.join(this.work, 'job.lock'), VP_TEST_MARK: mark, ...extra };
  }

  /** Starts ./run-job.sh in its own process group; onStderr sees the stderr so far. */
  startJob(args: string[], extraEnv: Record<string, string> = {}, onStderr?: (text: string, child: ChildProcess) => void): Job {
    const mark = randomBytes(8).toString('hex');
    const child = spawn(path.join(ROOT, 'run-job.sh'), args, {
      cwd: ROOT,
      env: this.jobEnv(extraEnv, mark),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const done = new Promise<JobResult>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString('utf8');
        onStderr?.(stderr, child);
      });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    });
    return { child, mark, done };
  }

  runJob(args: string[], extraEnv: Record<string, string> = {}): Promise<JobResult> {
    return this.startJob(args, extraEnv).done;
  }

  /**
   * Runs the job on the suite's database and sends SIGNAL once, delayMs after its log first
   * shows LINE: to run-job.sh alone, or to its whole process group (as a kill of the session
   * would). `sent` says whether the line came.
   */
  async interruptJob(line: string, signal: NodeJS.Signals, to: 'script' | 'group', delayMs = 0): Promise<{ mark: string; result: JobResult; sent: boolean }> {
    let sent = false;
    const run = this.startJob(this.dbArgs(), {}, (text, child) => {
      if (sent || !text.includes(line)) return;
      sent = true;
      const send = (): void => (to === 'group' ? killGroup(child, signal) : void child.kill(signal));
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
    const result = await run.done;
    return { mark: run.mark, result, sent };
  }

  /**
   * Runs ./run-job.sh on a pseudo-terminal (util-linux `script`), as a person
   * would; types `answer` once the job asks. stderr = everything the terminal showed.
   */
  runInTerminal(args: string[], answer: string): Promise<JobResult> {
    const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
    const command = ['./run-job.sh', ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: this.jobEnv({}, randomBytes(8).toString('hex')),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let typed = false;
    return new Promise((resolve, reject) => {
      const onData = (d: Buffer): void => {
        out += d.toString('utf8');
        if (!typed && /\[y\/n\]: /.test(out)) {
          typed = true;
          child.stdin!.write(answer);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        child.stdin!.destroy();
        resolve({ code, signal, stderr: out.replace(/\r\n/g, '\n') });
      });
    });
  }

  dbArgs(...more: string[]): string[] {
    return ['--db-defaults-file', this.job.optionFile, '--database', this.database, ...more];
  }

  liveDigest(table = 'viewed_products'): string {
    return this.db.tableDigest(this.database, table);
  }

  /** Staging tables in the suite's database or its staging database (as STAGING.TABLE). */
  leftoverTables(): string[] {
    const staging = stagingDatabase(this.database);
    return [...this.db.tables(this.database), ...this.db.tables(staging).map((t) => `${staging}.${t}`)].filter((t) => STAGING.test(t));
  }

  facts(table = 'viewed_products'): { rows: number; sum: number } {
    const [rows, sum] = this.db.sql(`SELECT COUNT(*), COALESCE(SUM(count), 0) FROM \`${table}\``, this.database).trim().split('\t').map(Number);
    return { rows, sum };
  }

  /** The table as mysql --batch prints it, lines sorted by their bytes: the job's result file for the same views. */
  tableText(table = 'viewed_products'): string {
    // Sorted here: the server would read the (source, target) index and look up every row's count.
    const text = this.db.sql(`SELECT source_product_id, target_product_id, count FROM \`${table}\``, this.database);
    const lines = text.split('\n').filter((l) => l !== '');
    // latin1 strings: one UTF-16 unit per byte, so the default order is byte order (LC_ALL=C sort's).
    return lines.sort().map((l) => `${l}\n`).join('');
  }

  expectUntouched(before: string, result: JobResult, code: number): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: expect.any(String) });
    expect(this.liveDigest()).toBe(before);
    expect(this.leftoverTables()).toEqual([]);
  }

  /** Removes the suite's folder; stops the server when it is the suite's own. */
  async remove(): Promise<void> {
    fs.rmSync(this.work, { recursive: true, force: true });
    await this.db.stop();
  }
}
