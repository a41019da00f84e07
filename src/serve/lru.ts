/**
 * A least-recently-used cache bounded by the total length of its values
 * (strings' lengths summed), so a crawl of every product keeps it, and the
 * server's memory, within a fixed size. Map order is recency order.
 */
export class Lru {
  private readonly entries = new Map<string, string[]>();
  private used = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string): string[] | undefined {
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(key: string, value: string[]): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= Lru.weight(key, old);
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.used += Lru.weight(key, value);
    for (const [k, v] of this.entries) {
      if (this.used <= this.maxChars || this.entries.size === 1) break;
      this.entries.delete(k);
      this.used -= Lru.weight(k, v);
    }
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get chars(): number {
    return this.used;
  }

  private static weight(key: string, value: string[]): number {
    return value.reduce((n, s) => n + s.length, key.length);
  }
}
