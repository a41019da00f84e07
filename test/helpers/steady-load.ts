/**
 * Steady concurrent load on a running server (the swap tests and the bench's
 * swap section): `workers` loops, each GETting the next path and judging the
 * answer, until stopped. Every answer is kept (time, latency, verdict), so a
 * caller can take the ones in a window (the swap) and their percentiles.
 */
import * as http from 'node:http';

export interface Answer {
  path: string;
  status: number;
  /** ms since the load started, at the request's start. */
  at: number;
  ms: number;
  /** null when the answer is good; else why not. */
  wrong: string | null;
}

export type Judge = (path: string, status: number, body: string) => string | null;

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

export class SteadyLoad {
  readonly answers: Answer[] = [];
  private running = true;
  private readonly done: Promise<void>;
  private readonly t0 = process.hrtime.bigint();

  constructor(base: string, next: (i: number) => string, judge: Judge, workers = 8) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
    let i = 0;
    const worker = async (): Promise<void> => {
      while (this.running) {
        const path = next(i++);
        const start = this.now();
        try {
          const r = await get(agent, `${base.replace(/\/$/, '')}${path}`);
          this.answers.push({ path, status: r.status, at: start, ms: this.now() - start, wrong: judge(path, r.status, r.body) });
        } catch (e) {
          this.answers.push({ path, status: 0, at: start, ms: this.now() - start, wrong: e instanceof Error ? e.message : String(e) });
        }
      }
    };
    this.done = Promise.all(Array.from({ length: workers }, worker)).then(() => agent.destroy());
  }

  now(): number {
    return Number(process.hrtime.bigint() - this.t0) / 1e6;
  }

  async stop(): Promise<Answer[]> {
    this.running = false;
    await this.done;
    return this.answers;
  }
}

/** The q-quantile (0..1) of the latencies, ms. */
export function quantile(answers: Answer[], q: number): number {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return ms.length === 0 ? 0 : ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
}
