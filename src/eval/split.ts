/**
 * The train/test split: paths ordered by their earliest view (ties: path id
 * bytes), the last floor(P * share + 0.5) of the P paths are the test set.
 * Path ids are latin1 strings (one char per byte), so `<` is byte order.
 */

/** How many of `paths` paths are test paths. */
export function testPathCount(paths: number, share: number): number {
  return Math.floor(paths * share + 0.5);
}

/** The test paths, from each path's earliest time. */
export function testPaths(firstTimes: ReadonlyMap<string, number>, share: number): Set<string> {
  const order = [...firstTimes.entries()].sort(([pa, ta], [pb, tb]) => ta - tb || (pa < pb ? -1 : pa > pb ? 1 : 0));
  const n = testPathCount(order.length, share);
  return new Set(order.slice(order.length - n).map(([p]) => p));
}

/** Keeps each path's earliest time (feed every view). */
export function noteFirstTime(firstTimes: Map<string, number>, path: string, time: number): void {
  const t = firstTimes.get(path);
  if (t === undefined || time < t) firstTimes.set(path, time);
}
