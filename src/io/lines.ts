/**
 * The one byte-level line reader. Chunks go in, lines come out as
 * (buffer, start, end) views: no per-line allocation, no promises, no string
 * decoding. A line split across chunks is carried over in a reusable buffer.
 * The handler must not keep the buffer: it is reused as soon as it returns.
 *
 * Lines end at '\n' only ('\r' is left to the caller). The last line may lack
 * its '\n'. A line longer than `maxLineBytes` is not buffered whole: it is
 * reported once, by length, to `onOverlong`, so memory stays bounded.
 */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;
export type OverlongHandler = (length: number) => void;
/**
 * Optional fast path: a run of whole lines of one chunk, [start, end), each
 * ending with '\n' (end is just past the last one). The handler must treat
 * every line in it exactly as the line and overlong handlers would, including
 * the length limit; it exists so a consumer can parse fields and find line ends
 * in one pass instead of one `indexOf` call per line.
 */
export type BlockHandler = (buf: Buffer, start: number, end: number) => void;

export const NEWLINE = 0x0a;
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export class LineSplitter {
  private carry: Buffer = Buffer.allocUnsafe(256);
  private carryLen = 0;
  /** Bytes of the current line seen so far, when it is over the limit. */
  private overlongLen = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: OverlongHandler = () => undefined,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    private readonly onBlock: BlockHandler | null = null,
  ) {}

  /** Feeds one chunk. The chunk may be reused by the caller afterwards. */
  push(chunk: Buffer): void {
    const len = chunk.length;
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (this.carryLen > 0 || this.overlongLen > 0) {
      if (nl === -1) {
        this.append(chunk, 0, len);
        return;
      }
      this.append(chunk, 0, nl);
      this.finishCarried();
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (this.onBlock !== null) {
      if (nl !== -1) {
        const last = chunk.lastIndexOf(NEWLINE);
        this.onBlock(chunk, start, last + 1);
        start = last + 1;
      }
      if (start < len) this.append(chunk, start, len);
      return;
    }
    const max = this.maxLineBytes;
    const onLine = this.onLine;
    while (nl !== -1) {
      if (nl - start > max) this.onOverlong(nl - start);
      else onLine(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < len) this.append(chunk, start, len);
  }

  /** Ends the input: a last line without '\n' is delivered now. */
  end(): void {
    if (this.carryLen > 0 || this.overlongLen > 0) this.finishCarried();
  }

  private finishCarried(): void {
    if (this.overlongLen > 0) this.onOverlong(this.overlongLen);
    else this.onLine(this.carry, 0, this.carryLen);
    this.carryLen = 0;
    this.overlongLen = 0;
  }

  private append(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.overlongLen > 0) {
      this.overlongLen += n;
      return;
    }
    const need = this.carryLen + n;
    if (need > this.maxLineBytes) {
      this.overlongLen = need;
      this.carryLen = 0;
      return;
    }
    if (need > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(need, this.carry.length * 2), this.maxLineBytes));
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    src.copy(this.carry, this.carryLen, start, end);
    this.carryLen = need;
  }
}
