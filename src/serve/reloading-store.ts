/**
 * The result file behind a server that may be told to read it again
 * (SIGHUP): the new file is loaded while the old lists keep answering, and
 * replaces them only once complete and valid. A reload asked for during one
 * runs once more after it (the file may have changed again meanwhile); a file
 * that fails to load leaves the old lists in place and says why.
 */
import { FileFacts, FileStore } from './file-store';
import { ListStore, Popular, Related } from './store';

export class ReloadingFileStore implements ListStore {
  readonly kind = 'file';
  readonly immutable = true;
  private loading: Promise<void> | null = null;
  private again = false;
  private gen = 0;

  private constructor(
    private readonly file: string,
    private current: FileStore,
    private readonly log: (message: string) => void,
  ) {}

  static async open(file: string, log: (message: string) => void): Promise<ReloadingFileStore> {
    const t0 = Date.now();
    const store = await FileStore.load(file);
    log(`loaded ${store.size} products' lists (${store.loaded.rows} rows) from ${file} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return new ReloadingFileStore(file, store, log);
  }

  /** Changes each time new lists replace the old: answers cached before are stale. */
  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.current.size;
  }

  /** The loaded file's facts (and whether a reload is under way), for /healthz. */
  facts(): FileFacts & { reloading: boolean } {
    return { ...this.current.loaded, reloading: this.loading !== null };
  }

  /** Reads the file again; resolves when the lists in use are from the latest read (or it failed). */
  reload(): Promise<void> {
    if (this.loading !== null) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.loadLoop().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async loadLoop(): Promise<void> {
    do {
      this.again = false;
      const t0 = Date.now();
      try {
        const next = await FileStore.load(this.file);
        this.current = next;
        this.gen++;
        this.log(`reloaded ${next.size} products' lists (${next.loaded.rows} rows) from ${this.file} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        this.log(`reload of ${this.file} failed, still serving the lists of ${this.current.loaded.mtime}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } while (this.again);
  }

  related(product: Buffer, n: number): Promise<Related[] | null> {
    return this.current.related(product, n);
  }

  popular(k: number): Promise<Popular[]> {
    return this.current.popular(k);
  }

  findIds(text: Buffer, limit: number): Promise<Buffer[]> {
    return this.current.findIds(text, limit);
  }

  check(): Promise<void> {
    return this.current.check();
  }

  async close(): Promise<void> {
    if (this.loading !== null) await this.loading;
  }
}
