/**
 * The production job on a tiny views file against the run's MariaDB
 * (./mariadb-shared.ts): cheap checks of the database layer (locks, option
 * file, swap) that need no export of a large table. The expected table comes
 * from the reference job (./reference.ts), never from the job itself.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpDir } from './exec';
import { JobUser, MariaDb, stagingDatabase } from './mariadb';
import { jobDatabase } from './mariadb-shared';
import { referenceImportFile, referenceJob } from './reference';

export interface TinyResult {
  code: number | null;
  stderr: string;
}

/** Twelve paths over five products: a few dozen rows. */
export function tinyViews(): string {
  const products = ['p1', 'p2', 'p3', 'p4', 'p5'];
  const lines: string[] = [];
  for (let p = 0; p < 12; p++) for (let i = 0; i < 2 + (p % 3); i++) lines.push(`path${p}\t${products[(p + i * 2) % products.length]}`);
  return `${lines.join('\n')}\n`;
}

export class TinyDb {
  private constructor(
    readonly db: MariaDb,
    readonly job: JobUser,
    readonly database: string,
    readonly work: string,
    readonly views: string,
  ) {}

  /** DATABASE, new, with db/schema.sql; the tiny views in a file. */
  static async create(database: string, text = tinyViews()): Promise<TinyDb> {
    const work = tmpDir('vp-tiny-db-');
    const { db, job } = await jobDatabase(database);
    const views = path.join(work, 'views.tsv');
    fs.writeFileSync(views, text, 'latin1');
    return new TinyDb(db, job, database, work, views);
  }

  /** The reference's import file for VIEWS: what the live table must hold. */
  expected(text = fs.readFileSync(this.views, 'latin1')): string {
    return referenceImportFile(referenceJob(text.split('\n').filter((l) => l !== '')));
  }

  /** A folder of the suite's own (removed with it). */
  dir(name: string): string {
    const d = path.join(this.work, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** ./run-job.sh importing the views; env: ours minus VP_* and MYSQL_PWD, plus ENV. */
  run(args: string[], env: Record<string, string> = {}): Promise<TinyResult> {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VP_') && k !== 'MYSQL_PWD') base[k] = v;
    const child = spawn(
      path.join(ROOT, 'run-job.sh'),
      ['--input', this.views, '--db-defaults-file', this.job.optionFile, '--database', this.database, '--reducers', '1', ...args],
      { cwd: ROOT, env: { ...base, TMPDIR: this.dir('tmp'), ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  /** The live table as the import file would print it (source, target, count), lines in byte order. */
  tableText(table = 'viewed_products'): string {
    const text = this.db.sql(`SELECT source_product_id, target_product_id, count FROM \`${table}\``, this.database);
    return text
      .split('\n')
      .filter((l) => l !== '')
      .sort()
      .map((l) => `${l}\n`)
      .join('');
  }

  /** Tables besides db/schema.sql's (the catalog `products` is one of its own), and every table of the staging database (as STAGING.TABLE). */
  otherTables(): string[] {
    const staging = stagingDatabase(this.database);
    return [
      ...this.db.tables(this.database).filter((t) => !['viewed_products', 'recent_items', 'products'].includes(t)),
      ...this.db.tables(staging).map((t) => `${staging}.${t}`),
    ];
  }

  remove(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
