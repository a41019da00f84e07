/**
 * moto's server on loopback, one per jest run (started by the first suite that
 * needs it, stopped by the run's teardown), and the real AWS CLI against it
 * (AWS_ENDPOINT_URL) with dummy credentials. Each suite gets a HOME and TMPDIR
 * of its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ROOT, tmpDir } from './exec';
import { onceRoot, sharedOnce } from './once';

interface MotoServer {
  endpoint: string;
  log: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (e) {
      if (Date.now() > end) throw new Error(`moto_server did not answer on ${url}: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const server = sharedOnce<MotoServer>('moto', async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = path.join(onceRoot(), 'moto.log');
  const out = fs.openSync(log, 'a');
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  // It outlives the suite that started it: its worker may exit first.
  moto.unref();
  await waitForHttp(`${endpoint}/`, 30_000);
  return { value: { endpoint, log }, pids: moto.pid === undefined ? [] : [moto.pid] };
});

/** A suite's view of the run's moto server. */
export class Moto {
  private constructor(
    readonly env: NodeJS.ProcessEnv,
    /** The suite's folder: HOME and TMPDIR of every command, removed by remove(). */
    readonly work: string,
    private readonly logFile: string,
  ) {}

  /**
   * A folder named from PREFIX, and the AWS CLI's settings; with ACCOUNT, the
   * credentials of a role in that account (moto keeps each account's
   * clusters apart, so a suite counting clusters sees only its own).
   */
  static async create(prefix: string, account?: string): Promise<Moto> {
    const { endpoint, log } = await server();
    const work = tmpDir(prefix);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      TMPDIR: work,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
      AWS_ENDPOINT_URL: endpoint,
    };
    const moto = new Moto(env, work, log);
    if (account !== undefined) {
      const role = `arn:aws:iam::${account}:role/vp-test`;
      const c = moto.aws(['sts', 'assume-role', '--role-arn', role, '--role-session-name', 'vp-test']).Credentials;
      Object.assign(env, { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken });
    }
    return moto;
  }

  /** The last part of moto's log, for a failure message. */
  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8').slice(-2000) : '';
  }

  /** The AWS CLI against moto; JSON output parsed. */
  aws(args: string[]): any {
    const r = spawnSync('aws', [...args, '--output', 'json'], { env: this.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() === '' ? null : JSON.parse(r.stdout);
  }

  createBucket(bucket: string): void {
    this.aws(['s3api', 'create-bucket', '--bucket', bucket]);
  }

  /**
   * An S3 GET against moto, straight over HTTP (path style): no Python
   * start-up per object, as the CLI would cost. Moto checks no signature, only
   * that the request names credentials. Returns the status and the body.
   */
  private s3Http(bucket: string, query: string): { status: number; body: Buffer } {
    const url = `${this.env.AWS_ENDPOINT_URL}/${bucket}${query}`;
    const auth = `AWS4-HMAC-SHA256 Credential=${this.env.AWS_ACCESS_KEY_ID}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0`;
    const script =
      'fetch(process.argv[1], { headers: { authorization: process.argv[2] } }).then(async (r) => {' +
      ' process.stdout.write(Buffer.from(await r.arrayBuffer())); process.exitCode = r.status === 200 ? 0 : r.status === 404 ? 4 : 1; })';
    const r = spawnSync(process.execPath, ['-e', script, url, auth], { maxBuffer: 1 << 28 });
    if (r.status !== 0 && r.status !== 4) throw new Error(`GET ${url} failed (exit ${r.status}): ${r.stdout.toString()}${r.stderr.toString()}`);
    return { status: r.status === 0 ? 200 : 404, body: r.stdout };
  }

  /** An S3 object's bytes, or null when it does not exist. */
  s3Get(uri: string): Buffer | null {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (m === null) throw new Error(`not an object URI: ${uri}`);
    const key = m[2].split('/').map(encodeURIComponent).join('/');
    const r = this.s3Http(m[1], `/${key}`);
    return r.status === 200 ? r.body : null;
  }

  /** The keys under an s3://bucket/prefix/ (ListObjectsV2). */
  s3Keys(prefixUri: string): string[] {
    const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(prefixUri);
    if (m === null) throw new Error(`not an S3 URI: ${prefixUri}`);
    const r = this.s3Http(m[1], `?list-type=2&prefix=${encodeURIComponent(m[2])}`);
    if (r.status !== 200) throw new Error(`cannot list ${prefixUri}`);
    return [...r.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((k) => k[1]);
  }

  runJob(args: string[]): { code: number; stdout: string; stderr: string } {
    const r = spawnSync(path.join(ROOT, 'run-job.sh'), args, { cwd: ROOT, env: this.env, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  remove(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
