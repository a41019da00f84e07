/**
 * The MariaDB fixture: one private mariadbd per jest run (temporary datadir,
 * socket and loopback port; ./mariadb.ts), started by the first suite that
 * needs it and stopped by the run's teardown. Suites share it through
 * databases of their own, each with its own job user.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './exec';
import { findMariaDb, JobUser, MariaDb, MariaDbAddress, MariaDbTools } from './mariadb';
import { sharedOnce } from './once';

/** The job's schema, as operators apply it (never a copy in a test). */
export const SCHEMA = path.join(ROOT, 'db', 'schema.sql');

function tools(): MariaDbTools {
  const found = findMariaDb();
  if (typeof found === 'string') throw new Error(`MariaDB cannot run: ${found}`);
  return found;
}

const server = sharedOnce<MariaDbAddress>('mariadb', async () => {
  const db = await MariaDb.start(tools(), true);
  return { value: db.address, pids: db.pid === undefined ? [] : [db.pid] };
});

/** The run's server (started on first use). */
export async function sharedMariaDb(): Promise<MariaDb> {
  return MariaDb.attach(tools(), await server());
}

/** A server of the suite's own, stopped by its stop(): for suites that change server-wide settings while others run. */
export function ownMariaDb(): Promise<MariaDb> {
  return MariaDb.start(tools());
}

/** Applies db/schema.sql to DATABASE. */
export function applySchema(db: MariaDb, database: string): void {
  db.sql(fs.readFileSync(SCHEMA, 'utf8'), database);
}

export interface JobDatabase {
  db: MariaDb;
  job: JobUser;
}

/** DATABASE on the run's server, new and empty, a job user of its own, and db/schema.sql unless told otherwise. */
export async function jobDatabase(database: string, opts: { schema?: boolean } = {}): Promise<JobDatabase> {
  return jobDatabaseOn(await sharedMariaDb(), database, opts);
}

/** As jobDatabase, on DB (a server of the suite's own: test/helpers/db-job.ts). */
export function jobDatabaseOn(db: MariaDb, database: string, opts: { schema?: boolean } = {}): JobDatabase {
  if (db.sql(`SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${database}'`).trim() !== '') throw new Error(`database ${database} exists already: each suite needs a name of its own`);
  const job = db.createJobUser(database);
  if (opts.schema !== false) applySchema(db, database);
  return { db, job };
}
