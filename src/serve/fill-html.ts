/**
 * The product page with a catalog's facts: the related products under
 * "People who viewed <name> also viewed", then the fill in its own labelled
 * sections: "Popular in <category>", then "Popular in the store".
 */
import { FilledEntry } from './filler';
import { card, countLabel, displayName, escapeHtml, idText, Lookup, page, picture } from './html';

function grid(items: readonly FilledEntry[], lookup: Lookup, source: FilledEntry['source']): string {
  return items
    .filter((e) => e.source === source)
    .map((e) => {
      if (e.row === null) return card(e.id, lookup(e.id), '');
      const score = e.row.score === null ? '' : ` · score ${escapeHtml(e.row.score.toPrecision(6))}`;
      return card(e.id, lookup(e.id), `${countLabel(e.row.count)} viewed both${score}`);
    })
    .join('\n');
}

function section(cls: string, heading: string, items: string): string {
  return items === '' ? '' : `\n<section class="${cls}"><h2>${escapeHtml(heading)}</h2>\n<ol class="grid">\n${items}\n</ol></section>`;
}

export function filledProductPage(id: Buffer, list: readonly FilledEntry[], lookup: Lookup): string {
  const self = lookup(id);
  const name = displayName(id, self);
  const related = grid(list, lookup, 'related');
  const category = self?.category ?? '';
  const body = `<section class="product">${picture(id, self)}<div><h1>People who viewed ${escapeHtml(name)} also viewed</h1>
<p class="id">${escapeHtml(idText(id))}</p></div></section>
${related === '' ? '<p class="note">No other product was viewed with this one yet.</p>' : `<ol class="grid related">\n${related}\n</ol>`}${section(
    'fill fill-category',
    `Popular in ${category}`,
    grid(list, lookup, 'category'),
  )}${section('fill fill-popular', 'Popular in the store', grid(list, lookup, 'popular'))}`;
  return page(`People who viewed ${name} also viewed`, '', body);
}
