/**
 * The gallery in a real browser: Debian's chromium, headless, driven by
 * playwright-core (which downloads nothing), on the demo's lists and catalog
 * as `./run-job.sh --demo` leaves them and says to serve them. Opens /,
 * searches a product by name, opens it, follows a related link, and checks
 * what a person sees. With VP_SCREENSHOT=FILE it also saves the product page
 * (`npm run screenshot` writes docs/gallery.png).
 *
 * Skips with a visible reason without /usr/bin/chromium, except under CI=true.
 */
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { sh, tmpDir } from './helpers/exec';
import { Server, startServer } from './helpers/serve';
import { describeIf } from './helpers/suite';
import { CHROMIUM, missingChromium } from './helpers/tools';

jest.setTimeout(180_000);

describeIf(missingChromium(), "the demo's gallery in chromium", () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const out = path.join(tmpDir('vp-gallery-'), 'demo');
    const demo = sh(`./run-job.sh --demo --output '${out}'`);
    expect(demo.code).toBe(0);
    const hint = /demo: the gallery: node \S+\/dist\/serve\.js --result (\S+) --catalog (\S+) \(then open the URL it prints/.exec(demo.stderr);
    expect(hint?.slice(1)).toEqual([path.join(out, 'viewed_products.tsv'), path.join(out, 'catalog.tsv')]);
    server = await startServer(['--result', hint![1], '--catalog', hint![2]]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    // A CSP violation or script error would show here.
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  test('/ shows the search box and the most viewed products, by name', async () => {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Most viewed products');
    const first = page.locator('.card .name').first();
    await expect(first.textContent()).resolves.toBe('Classic running shoes 0');
    await expect(page.locator('.card').count()).resolves.toBe(24);
  });

  test('searching a name lists it; its page lists what others viewed; a related link opens that page', async () => {
    await page.getByRole('searchbox', { name: 'Product name or id' }).fill('rain jacket 1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=rain\+jacket\+1$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Products matching “rain jacket 1”');
    await page.getByRole('link', { name: 'Classic rain jacket 1', exact: true }).click();
    await page.waitForURL(/\/products\/jackets-001$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('People who viewed Classic rain jacket 1 also viewed');
    const cards = page.locator('ol.grid .card');
    await expect(cards.count()).resolves.toBe(12);
    await expect(cards.first().locator('.meta').textContent()).resolves.toMatch(/^[\d,]+ viewed both$/);
    const target = (await cards.nth(1).locator('.name').textContent()) ?? '';
    expect(target).toMatch(/^\w+ .+ \d+$/);
    await cards.nth(1).getByRole('link').click();
    await page.waitForURL(/\/products\/[a-z]+-\d{3}$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`People who viewed ${target} also viewed`);
    await expect(page.locator('ol.grid .card').count()).resolves.toBeGreaterThan(0);
  });

  test("a new product's page (no views yet) is filled from its category, under its own label", async () => {
    await page.goto(server.url);
    await page.getByRole('searchbox').fill('New running shoes');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'New running shoes 500', exact: true }).click();
    await page.waitForURL(/\/products\/shoes-500$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('People who viewed New running shoes 500 also viewed');
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual(['Popular in shoes']);
    const fill = page.locator('section.fill-category .card');
    await expect(fill.count()).resolves.toBe(12);
    const names = await fill.locator('.name').allTextContents();
    expect(names.filter((n) => !/ running shoes \d+$/.test(n))).toEqual([]);
    await expect(page.evaluate("getComputedStyle(document.querySelector('section.fill-category .card')).borderStyle")).resolves.toBe('dashed');
  });

  test('an id typed in the search box opens its page; the page looks right', async () => {
    await page.goto(server.url);
    await page.getByRole('searchbox').fill('shoes-000');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/products\/shoes-000$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('People who viewed Classic running shoes 0 also viewed');
    // The stylesheet loaded (CSP allows 'self'): the cards are laid out in a grid.
    // (A string: the test's TypeScript has no DOM types.)
    await expect(page.evaluate("getComputedStyle(document.querySelector('ol.grid')).display")).resolves.toBe('grid');
    if (process.env.VP_SCREENSHOT) await page.screenshot({ path: process.env.VP_SCREENSHOT, fullPage: false });
    expect(problems).toEqual([]);
  });
});
