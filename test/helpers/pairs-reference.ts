/** The phase-1 reducer's reference semantics, for tests: distinct products in first-seen order, every ordered pair. */
export function orderedPairs(products: readonly string[]): Array<[string, string]> {
  const distinct = [...new Set(products)];
  const out: Array<[string, string]> = [];
  for (const a of distinct) for (const b of distinct) if (a !== b) out.push([a, b]);
  return out;
}
