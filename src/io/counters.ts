/**
 * Hadoop Streaming counters: `reporter:counter:<group>,<counter>,<amount>` on
 * stderr. Hadoop adds up the amounts; so does the local runner.
 */
export const COUNTER_GROUP = 'viewed_products';

const NAME = /^[A-Za-z0-9_.-]+$/;

export class Counters {
  private readonly values = new Map<string, number>();

  constructor(names: readonly string[] = []) {
    for (const n of names) this.define(n);
  }

  private define(name: string): void {
    if (!NAME.test(name)) throw new Error(`bad counter name ${JSON.stringify(name)}`);
    this.values.set(name, 0);
  }

  add(name: string, amount = 1): void {
    const v = this.values.get(name);
    if (v === undefined) {
      this.define(name);
      this.values.set(name, amount);
    } else {
      this.values.set(name, v + amount);
    }
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** Every counter, including zeros, so a summary can show that a reason did not occur. */
  entries(): Array<[string, number]> {
    return [...this.values.entries()];
  }

  /** One reporter line per counter with its total: call once, when the task ends. */
  reporterLines(): string {
    let out = '';
    for (const [name, value] of this.values) {
      out += `reporter:counter:${COUNTER_GROUP},${name},${value}\n`;
    }
    return out;
  }
}
