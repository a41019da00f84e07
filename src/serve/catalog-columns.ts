/**
 * A catalog file's columns: an optional header line naming them
 * (`product_id`, `name`, `image_url`, `category`, `available`, any order),
 * else today's `product_id<TAB>name[<TAB>image_url]`; and the `available`
 * flag's values.
 */

export const CATALOG_COLUMNS = ['product_id', 'name', 'image_url', 'category', 'available'] as const;
export type CatalogColumn = (typeof CATALOG_COLUMNS)[number];

/** Field index of each column (-1: absent); `fixed` = the header-less layout (2 or 3 fields). */
export interface ColumnLayout {
  index: Record<CatalogColumn, number>;
  fields: number;
  fixed: boolean;
  /** The header names category or available: the store's filters and fallbacks apply. */
  facts: boolean;
}

export const FIXED_LAYOUT: ColumnLayout = {
  index: { product_id: 0, name: 1, image_url: 2, category: -1, available: -1 },
  fields: 3,
  fixed: true,
  facts: false,
};

/** The layout a first line names when it is a header (a field is exactly `product_id`), an error message, or null: a data line. */
export function headerLayout(fields: readonly string[]): ColumnLayout | string | null {
  if (!fields.includes('product_id')) return null;
  const index: Record<CatalogColumn, number> = { product_id: -1, name: -1, image_url: -1, category: -1, available: -1 };
  for (let i = 0; i < fields.length; i++) {
    const name = CATALOG_COLUMNS.find((c) => c === fields[i]);
    if (name === undefined) return `unknown column ${JSON.stringify(fields[i].slice(0, 40))} (known: ${CATALOG_COLUMNS.join(', ')})`;
    if (index[name] !== -1) return `column ${name} named twice`;
    index[name] = i;
  }
  return { index, fields: fields.length, fixed: false, facts: index.category !== -1 || index.available !== -1 };
}

/** `available`: 1, 0, or empty (= 1); null for anything else. */
export function availableValue(text: string): boolean | null {
  if (text === '1' || text === '') return true;
  if (text === '0') return false;
  return null;
}
