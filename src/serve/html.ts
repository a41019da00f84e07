/**
 * The gallery's HTML: every catalog string and id goes through escapeHtml
 * (text and attribute values alike), links carry percent-encoded id bytes,
 * and pages hold no script at all (the search is a plain GET form), so the
 * Content-Security-Policy can forbid scripts outright.
 */
import { CatalogEntry } from './catalog';
import { encodeId } from './ids';
import { Popular, Related } from './store';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An id as text to show: its bytes as UTF-8, U+FFFD for invalid bytes. */
export function idText(id: Buffer): string {
  return id.toString('utf8');
}

export type Lookup = (id: Buffer) => CatalogEntry | undefined;

export function page(title: string, query: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="data:,">
</head>
<body>
<header>
<a class="brand" href="/">Viewed together</a>
<form action="/search" method="get" role="search">
<input type="search" name="q" value="${escapeHtml(query)}" placeholder="Product name or id" aria-label="Product name or id">
<button type="submit">Search</button>
</form>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

function productLink(id: Buffer): string {
  return `/products/${encodeId(id)}`;
}

export function picture(id: Buffer, entry: CatalogEntry | undefined): string {
  if (entry?.image) return `<img src="${escapeHtml(entry.image)}" alt="" loading="lazy">`;
  const label = (entry?.name || idText(id)).trim().charAt(0).toUpperCase() || '?';
  // A colour per product from its bytes (a class: the CSP allows no inline style).
  let hue = 0;
  for (const b of id) hue = (hue * 31 + b) % 6;
  return `<span class="placeholder ph${hue}" aria-hidden="true">${escapeHtml(label)}</span>`;
}

export function displayName(id: Buffer, entry: CatalogEntry | undefined): string {
  return entry !== undefined && entry.name !== '' ? entry.name : idText(id);
}

export function card(id: Buffer, entry: CatalogEntry | undefined, meta: string): string {
  return `<li class="card"><a href="${escapeHtml(productLink(id))}">${picture(id, entry)}<span class="name">${escapeHtml(displayName(id, entry))}</span></a><span class="id">${escapeHtml(idText(id))}</span><span class="meta">${meta}</span></li>`;
}

export function countLabel(count: string): string {
  return `${escapeHtml(count.replace(/^0+(?=.)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ','))}`;
}

export function homePage(popular: readonly Popular[], lookup: Lookup): string {
  const items = popular
    .map((p) => card(p.product, lookup(p.product), `${countLabel(String(p.coViews))} co-views · ${p.related} related`))
    .join('\n');
  const body = `<h1>Most viewed products</h1>
<p class="note">Ranked by co-views: the sum of the counts in a product's list (how many times it was viewed in a session with another product).</p>
<ol class="grid">
${items}
</ol>`;
  return page('Viewed together', '', body);
}

export function productPage(id: Buffer, list: readonly Related[], lookup: Lookup): string {
  const self = lookup(id);
  const name = displayName(id, self);
  const items = list
    .map((r) => {
      const score = r.score === null ? '' : ` · score ${escapeHtml(r.score.toPrecision(6))}`;
      return card(r.target, lookup(r.target), `${countLabel(r.count)} viewed both${score}`);
    })
    .join('\n');
  const body = `<section class="product">${picture(id, self)}<div><h1>People who viewed ${escapeHtml(name)} also viewed</h1>
<p class="id">${escapeHtml(idText(id))}</p></div></section>
<ol class="grid">
${items}
</ol>`;
  return page(`People who viewed ${name} also viewed`, '', body);
}

export function searchPage(query: string, found: readonly Buffer[], lookup: Lookup): string {
  const items = found.map((id) => card(id, lookup(id), '')).join('\n');
  const body =
    found.length === 0
      ? `<h1>No product matches “${escapeHtml(query)}”</h1>`
      : `<h1>Products matching “${escapeHtml(query)}”</h1>\n<ol class="grid">\n${items}\n</ol>`;
  return page(`Search: ${query}`, query, body);
}

export function notFoundPage(message: string): string {
  return page('Not found', '', `<h1>Not found</h1>\n<p>${escapeHtml(message)}</p>`);
}
