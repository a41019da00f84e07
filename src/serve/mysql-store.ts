/**
 * The MySQL table as a list store, through mysql2's small connection pool.
 * Every statement is fixed text with `?` placeholders (values escaped by the
 * driver); the table name comes from an option checked as a plain identifier,
 * never from a request. A product's list is one primary-key range read:
 * `WHERE source_product_id = ? ORDER BY list_rank LIMIT ?`.
 */
import { createPool, Pool, PoolOptions, RowDataPacket } from 'mysql2/promise';
import { ClientOptions, poolSsl } from './option-file';
import { ListStore, Popular, Related } from './store';

/** How long the home page's most co-viewed products (a full scan) are reused. */
const POPULAR_TTL_MS = 5 * 60_000;

export function poolOptions(client: ClientOptions, database: string): PoolOptions {
  return {
    host: client.socket === undefined ? (client.host ?? 'localhost') : undefined,
    port: client.port,
    socketPath: client.socket,
    user: client.user,
    password: client.password,
    ssl: poolSsl(client.ssl),
    database,
    connectionLimit: 4,
    maxIdle: 4,
    enableKeepAlive: true,
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
  private popularCache: { at: number; k: number; rows: Popular[] } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
  ) {}

  static open(client: ClientOptions, database: string, table: string): MysqlStore {
    return new MysqlStore(createPool(poolOptions(client, database)), table);
  }

  async related(product: Buffer, n: number): Promise<Related[] | null> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT target_product_id, count, score FROM \`${this.table}\` WHERE source_product_id = ? ORDER BY list_rank LIMIT ?`,
      [product, n],
    );
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      target: bytes(r.target_product_id, 'target_product_id'),
      count: countText(r.count),
      score: scoreValue(r.score),
    }));
  }

  async popular(k: number): Promise<Popular[]> {
    const cached = this.popularCache;
    if (cached !== null && cached.k >= k && Date.now() - cached.at < POPULAR_TTL_MS) return cached.rows.slice(0, k);
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT source_product_id, SUM(count) AS co_views, COUNT(*) AS related FROM \`${this.table}\`
       GROUP BY source_product_id ORDER BY co_views DESC, source_product_id LIMIT ?`,
      [k],
    );
    const list = rows.map((r) => ({
      product: bytes(r.source_product_id, 'source_product_id'),
      coViews: Number(r.co_views),
      related: Number(r.related),
    }));
    this.popularCache = { at: Date.now(), k, rows: list };
    return list;
  }

  async findIds(text: Buffer, limit: number): Promise<Buffer[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT DISTINCT source_product_id FROM \`${this.table}\` WHERE source_product_id LIKE ? ORDER BY source_product_id LIMIT ?`,
      [prefixPattern(text), limit],
    );
    return rows.map((r) => bytes(r.source_product_id, 'source_product_id'));
  }

  async check(): Promise<void> {
    await this.pool.query(`SELECT 1 FROM \`${this.table}\` LIMIT 1`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Catalog rows from a MySQL table with columns product_id, name and optionally image_url. */
export async function readCatalogTable(
  client: ClientOptions,
  database: string,
  table: string,
): Promise<{ id: Buffer; name: string; image: string | null }[]> {
  const pool = createPool({ ...poolOptions(client, database), connectionLimit: 1 });
  try {
    const [rows] = await pool.query<RowDataPacket[]>(`SELECT * FROM \`${table}\``);
    return rows.map((r) => ({
      id: bytes(r.product_id, 'product_id'),
      name: r.name === null || r.name === undefined ? '' : String(r.name),
      image: typeof r.image_url === 'string' && r.image_url !== '' ? r.image_url : null,
    }));
  } finally {
    await pool.end();
  }
}
