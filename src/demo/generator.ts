/** Pure sample-view generator (see bin/generate-views.ts). */
import { rng } from '../core/random';

export interface GeneratorOptions {
  paths: number;
  products: number;
  seed: number;
  header: boolean;
}

const CATEGORIES = ['shoes', 'jackets', 'tents', 'lamps', 'mugs', 'kettles', 'chairs', 'desks', 'headphones', 'cables'];

export function productId(i: number, products: number): string {
  const category = CATEGORIES[i % CATEGORIES.length];
  return `${category}-${String(i).padStart(String(products).length, '0')}`;
}

const NOUNS: Record<string, string> = {
  shoes: 'running shoes',
  jackets: 'rain jacket',
  tents: 'dome tent',
  lamps: 'desk lamp',
  mugs: 'enamel mug',
  kettles: 'kettle',
  chairs: 'camp chair',
  desks: 'standing desk',
  headphones: 'headphones',
  cables: 'USB-C cable',
};
const STYLES = ['Classic', 'Trail', 'Urban', 'Compact', 'Pro', 'Eco', 'Deluxe', 'Lite'];

/** New products in the demo catalog, not yet viewed: their pages are filled from their category. */
export const NEW_PRODUCTS = 5;

/** Whether a demo product is unavailable (discontinued or out of stock): one in 47, in every category. */
export function demoUnavailable(i: number): boolean {
  return i % 47 === 5;
}

/**
 * The demo catalog's lines for dist/serve.js --catalog: a header, then
 * `product_id<TAB>name<TAB>category<TAB>available`, with NEW_PRODUCTS more
 * products than the views hold.
 */
export function catalogLines(products: number): string[] {
  const lines: string[] = ['product_id\tname\tcategory\tavailable\n'];
  for (let i = 0; i < products + NEW_PRODUCTS; i++) {
    const category = CATEGORIES[i % CATEGORIES.length];
    const style = i >= products ? 'New' : STYLES[Math.floor(i / CATEGORIES.length) % STYLES.length];
    lines.push(`${productId(i, products)}\t${style} ${NOUNS[category]} ${i}\t${category}\t${demoUnavailable(i) ? 0 : 1}\n`);
  }
  return lines;
}

/** Calls emit with each line (ending in '\n'). */
export function generateViews(o: GeneratorOptions, emit: (line: string) => void): void {
  const random = rng(o.seed);
  // Zipf-like popularity over the catalog: weight 1/(rank+1).
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < o.products; r++) {
    total += 1 / (r + 1);
    cumulative.push(total);
  }
  const popular = (): number => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  if (o.header) emit('path_id\tproduct_id\n');
  const ids: string[] = [];
  for (let i = 0; i < o.products; i++) ids.push(productId(i, o.products));
  for (let p = 1; p <= o.paths; p++) {
    const path = `s${String(p).padStart(7, '0')}`;
    // Short sessions: geometric length, mean about 4 views.
    let views = 1;
    while (random() < 0.75 && views < 40) views++;
    const anchor = popular();
    let last = anchor;
    for (let v = 0; v < views; v++) {
      let product: number;
      const r = random();
      if (v > 0 && r < 0.15) product = last; // a repeated view
      else if (r < 0.7) {
        // Stay in the anchor's category: same residue modulo the category count.
        const step = CATEGORIES.length * (1 + Math.floor(random() * 8));
        const x = (anchor + step * (random() < 0.5 ? 1 : -1)) % o.products;
        product = x < 0 ? x + o.products : x;
      } else product = popular();
      last = product;
      emit(`${path}\t${ids[product]}\n`);
    }
  }
}
