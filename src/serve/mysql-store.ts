/**
 * The MySQL table as a list store, through mysql2's small connection pool.
 * Every statement is fixed text with `?` placeholders (values escaped by the
 * driver); the table name comes from an option checked as a plain identifier,
 * never from a request. A product's list is one primary-key range read:
 * `WHERE source_product_id = ? ORDER BY list_rank LIMIT ?`.
 *
 * Never stalls (docs/serving.md#mysql): a bounded pool queue, a client-side
 * timeout on every query, and sessions with a short lock_wait_timeout and
 * statement time limit, so pages never wait long behind the job's RENAME; the
 * home page's aggregate runs once at a time in short primary-key chunks (the
 * RENAME never waits behind a whole-table scan), others get the cached copy.
 */
import { createPool, Pool, PoolOptions, QueryOptions, RowDataPacket } from 'mysql2/promise';
import { ClientOptions, poolSsl } from './option-file';
import { PopularCache } from './popular-cache';
import { ListStore, Popular, Related } from './store';

/** Connections, and requests that may wait for one (more get an error at once: a 503, not a pile-up). */
export const POOL_CONNECTIONS = 4;
export const POOL_QUEUE_LIMIT = 64;
/** Each session: seconds a statement may wait for a table lock (the job's RENAME), and may run. */
export const LOCK_WAIT_SECONDS = 2;
export const STATEMENT_SECONDS = 5;
/** The client's own bound on any query, in ms (past it the connection is dropped). */
export const QUERY_TIMEOUT_MS = (STATEMENT_SECONDS + 2) * 1000;
/** Products per statement of the home page's aggregate. */
export const POPULAR_CHUNK = 2000;

export function poolOptions(client: ClientOptions, database: string): PoolOptions {
  return {
    host: client.socket === undefined ? (client.host ?? 'localhost') : undefined,
    port: client.port,
    socketPath: client.socket,
    user: client.user,
    password: client.password,
    ssl: poolSsl(client.ssl),
    database,
    connectionLimit: POOL_CONNECTIONS,
    maxIdle: POOL_CONNECTIONS,
    queueLimit: POOL_QUEUE_LIMIT,
    waitForConnections: true,
    connectTimeout: QUERY_TIMEOUT_MS,
    enableKeepAlive: true,
  };
}

/** The session settings, MariaDB's form first (max_statement_time, seconds), then MySQL's (max_execution_time, ms). */
export const SESSION_SQL = [
  `SET SESSION lock_wait_timeout = ${LOCK_WAIT_SECONDS}, max_statement_time = ${STATEMENT_SECONDS}`,
  `SET SESSION lock_wait_timeout = ${LOCK_WAIT_SECONDS}, max_execution_time = ${STATEMENT_SECONDS * 1000}`,
];

/** The statements, exported so the EXPLAIN checks run exactly these. */
export const SQL = {
  related: (table: string): string => `SELECT target_product_id, count, score FROM \`${table}\` WHERE source_product_id = ? ORDER BY list_rank LIMIT ?`,
  /** One chunk of the home page's aggregate: the next `?` products after `?`, in primary-key order. */
  popularChunk: (table: string): string =>
    `SELECT source_product_id, SUM(count) AS co_views, COUNT(*) AS related FROM \`${table}\` WHERE source_product_id > ? GROUP BY source_product_id ORDER BY source_product_id LIMIT ?`,
  findIds: (table: string): string =>
    `SELECT DISTINCT source_product_id FROM \`${table}\` WHERE source_product_id LIKE ? ORDER BY source_product_id LIMIT ?`,
  check: (table: string): string => `SELECT 1 FROM \`${table}\` LIMIT 1`,
};

/** What the store needs of a pool (mysql2's, with the timeouts; a fake in unit tests). */
export interface Queryable {
  rows(sql: string, values: unknown[]): Promise<RowDataPacket[]>;
  end(): Promise<void>;
}

/** mysql2's pool with the session settings on each new connection and a timeout on each query. */
export function timedPool(pool: Pool): Queryable {
  let form = 0;
  // The core pool's event gives the callback connection (the promise pool's typing says otherwise).
  pool.pool.on('connection', (conn) => {
    // Queued on the new connection before the query that asked for it.
    conn.query(SESSION_SQL[form], (err) => {
      if (err === null || form !== 0) return;
      form = 1;
      conn.query(SESSION_SQL[1], () => undefined);
    });
  });
  return {
    async rows(sql: string, values: unknown[]): Promise<RowDataPacket[]> {
      const options: QueryOptions = { sql, values, timeout: QUERY_TIMEOUT_MS };
      const [rows] = await pool.query<RowDataPacket[]>(options);
      return rows;
    },
    end: () => pool.end(),
  };
}

function bytes(v: unknown, what: string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new Error(`${what}: unexpected value from the database`);
}

function countText(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return v;
  throw new Error('count: unexpected value from the database');
}

function scoreValue(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error('score: unexpected value from the database');
  return n;
}

/** LIKE pattern bytes for "starts with": `\`, `%` and `_` escaped. */
function prefixPattern(text: Buffer): Buffer {
  const out: number[] = [];
  for (const b of text) {
    if (b === 0x5c || b === 0x25 || b === 0x5f) out.push(0x5c);
    out.push(b);
  }
  out.push(0x25);
  return Buffer.from(out);
}

export class MysqlStore implements ListStore {
  readonly kind = 'mysql';
  /** The job swaps the table under us. */
  readonly immutable = false;
  private readonly popularCache: PopularCache;

  constructor(
    private readonly pool: Queryable,
    private readonly table: string,
    now: () => number = Date.now,
  ) {
    this.popularCache = new PopularCache((k) => this.scanPopular(k), now);
  }

  static open(client: ClientOptions, database: string, table: string): MysqlStore {
    return new MysqlStore(timedPool(createPool(poolOptions(client, database))), table);
  }

  async related(product: Buffer, n: number): Promise<Related[] | null> {
    const rows = await this.pool.rows(SQL.related(this.table), [product, n]);
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      target: bytes(r.target_product_id, 'target_product_id'),
      count: countText(r.count),
      score: scoreValue(r.score),
    }));
  }

  popular(k: number): Promise<Popular[]> {
    return this.popularCache.get(k);
  }

  /** The k most co-viewed products, read in chunks of the primary key (each a short statement). */
  private async scanPopular(k: number): Promise<Popular[]> {
    let best: Popular[] = [];
    for (let after: Buffer = Buffer.alloc(0); ; ) {
      const rows = await this.pool.rows(SQL.popularChunk(this.table), [after, POPULAR_CHUNK]);
      for (const r of rows) {
        best.push({ product: bytes(r.source_product_id, 'source_product_id'), coViews: Number(r.co_views), related: Number(r.related) });
      }
      best = best.sort((a, b) => b.coViews - a.coViews || Buffer.compare(a.product, b.product)).slice(0, k);
      if (rows.length < POPULAR_CHUNK) return best;
      after = bytes(rows[rows.length - 1].source_product_id, 'source_product_id');
    }
  }

  async findIds(text: Buffer, limit: number): Promise<Buffer[]> {
    const rows = await this.pool.rows(SQL.findIds(this.table), [prefixPattern(text), limit]);
    return rows.map((r) => bytes(r.source_product_id, 'source_product_id'));
  }

  async check(): Promise<void> {
    await this.pool.rows(SQL.check(this.table), []);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Catalog rows from a MySQL table with columns product_id, name and optionally image_url, category, available (1/0). */
export async function readCatalogTable(
  client: ClientOptions,
  database: string,
  table: string,
): Promise<{ facts: boolean; rows: { id: Buffer; name: string; image: string | null; category: string | null; available: boolean }[] }> {
  const pool = createPool({ ...poolOptions(client, database), connectionLimit: 1 });
  try {
    const [rows, fields] = await pool.query<RowDataPacket[]>(`SELECT * FROM \`${table}\``);
    const names = new Set(fields.map((f) => f.name));
    return {
      facts: names.has('category') || names.has('available'),
      rows: rows.map((r) => ({
        id: bytes(r.product_id, 'product_id'),
        name: r.name === null || r.name === undefined ? '' : String(r.name),
        image: typeof r.image_url === 'string' && r.image_url !== '' ? r.image_url : null,
        category: r.category === null || r.category === undefined || r.category === '' ? null : String(r.category),
        available: r.available === null || r.available === undefined || Number(r.available) !== 0,
      })),
    };
  } finally {
    await pool.end();
  }
}
