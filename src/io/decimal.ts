/** Number encoders for the sinks. */
import { ByteSink } from './sink';

/** Appends a non-negative integer (number or bigint) in decimal. */
export function putDecimal(sink: ByteSink, value: number | bigint): void {
  if (typeof value === 'bigint' || value >= 1e15) {
    const s = value.toString();
    const buf = sink.reserve(s.length);
    sink.pos += buf.write(s, sink.pos, 'latin1');
    return;
  }
  const buf = sink.reserve(16);
  let v = value;
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  let p = sink.pos + digits;
  sink.pos = p;
  do {
    const q = Math.floor(v / 10);
    buf[--p] = 48 + (v - q * 10);
    v = q;
  } while (v > 0);
}
