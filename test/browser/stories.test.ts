/**
 * The public pages in a real browser (Debian's Chromium through playwright-core): axe-core finds no
 * serious or critical accessibility violation on the home, story, story list, search, document and page
 * views; nothing overflows a 375 px phone; the keyboard reaches the stories. Screenshots at 375 px and
 * 1280 px go to test-artifacts/ for a person to look at.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cropImage } from '../../ingest/image-prep.ts';
import { createStory, setStoryStatus } from '../../src/stories/story-actions.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, FIXTURES, ingestBytes, REPO_ROOT, type TestArchive } from '../support/harness.ts';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

type Playwright = typeof import('playwright-core');
function loadPlaywright(): Playwright | null {
  try {
    return require('playwright-core') as Playwright;
  } catch {
    return null;
  }
}
const playwright = loadPlaywright();
const missing = !playwright ? 'playwright-core is not installed' : !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : null;

let t: TestArchive;
let server: Server;
let base = '';
let docId = '';
let browser: import('playwright-core').Browser;

before(async () => {
  if (missing) return;
  t = await createTestArchive();
  const ingested = await ingestBytes(t.archive, Buffer.from('一九六五年，石炭井矿务局建起工人俱乐部。\f露天电影放映的夜晚，礦工們扶老攜幼。', 'utf8'), 'club.txt', {
    collection: 'shitanjing', collectionTitle: '石炭井印迹', metadata: { title: '石炭井印迹', creator: '大武口区政协', date: '2019年' },
  });
  assert.equal(ingested.outcome.status, 'queued');
  docId = ingested.outcome.status === 'queued' ? ingested.outcome.documentId : '';
  const picture = await cropImage(fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-simplified.jpg')), null, { maxSide: 1000 });
  t.archive.images.write(docId, 1, 'page', picture.webp);
  const { documentId: _d, number: _n, correctedText: _c, ...content } = t.archive.catalogue.pages.get(docId, 1)!;
  t.archive.catalogue.pages.save(docId, 1, { ...content, captions: ['工人俱乐部旧照'], imageWidth: picture.width, imageHeight: picture.height, hasImage: true });
  const body = [
    '一九六五年，石炭井矿务局在贺兰山下建起工人俱乐部。'.repeat(6),
    '',
    '## 广场上的夜晚',
    '',
    `放电影的晚上，俱乐部门口全是人{{page ${docId} 2}}。`.repeat(4),
    '',
    `{{page ${docId} 1 region=0,0,600,300 quote="石炭井矿务局建起工人俱乐部"}}`,
    '',
    `{{page ${docId} 2 quote="礦工們扶老攜幼"}}`,
  ].join('\n');
  for (const [slug, title, tags] of [['club', '工人俱乐部的露天电影', ['石炭井', '俱乐部']], ['rise', '石炭井矿区的兴起', ['石炭井']]] as const) {
    const story = await createStory(t.archive, { slug, title, summary: '矿区的夜晚与银幕', tags: [...tags], era: '1960年代', body, featured: true }, '编辑甲');
    await setStoryStatus(t.archive, story, 'published', '编辑甲');
  }
  server = createApp(t.archive, { log: () => {} }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await playwright!.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  if (missing) return;
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const views = () => [
  { name: 'home', url: '/' },
  { name: 'story', url: '/stories/club' },
  { name: 'stories', url: '/stories' },
  { name: 'search', url: `/search?q=${encodeURIComponent('矿区')}` },
  { name: 'document', url: `/documents/${docId}` },
  { name: 'page', url: `/documents/${docId}/pages/1` },
];

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

test('no serious or critical accessibility violation; nothing overflows a phone; screenshots at 375 and 1280 px', { skip: missing ?? false }, async () => {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const problems: string[] = [];
  for (const width of [375, 1280]) {
    // The page's CSP forbids inline scripts (rightly); the test injects axe through the debugging protocol instead.
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, locale: 'zh-CN' });
    const page = await context.newPage();
    for (const view of views()) {
      const response = await page.goto(base + view.url);
      assert.equal(response?.status(), 200, view.url);
      await page.screenshot({ path: path.join(ARTIFACTS, `stories-${view.name}-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`${view.url} at ${width}px: ${overflow}px wider than the screen`);
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations;
      });
      for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        problems.push(`${view.url} at ${width}px: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
      }
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('the story page is marked up for Chinese long text: lang, measure, line height, alt text from captions, ordered headings', { skip: missing ?? false }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/stories/club`);
  const layout = await page.evaluate(() => {
    const body = document.querySelector('.story') as HTMLElement;
    const style = getComputedStyle(body);
    return {
      lang: document.documentElement.lang, storyLang: body.lang,
      widthInEm: body.getBoundingClientRect().width / parseFloat(style.fontSize),
      lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
      font: style.fontFamily,
      headings: [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => Number(h.tagName[1])),
      alts: [...document.querySelectorAll('.archive-embed img')].map((i) => (i as HTMLImageElement).alt),
      traditional: [...document.querySelectorAll('[lang="zh-Hant"]')].map((e) => e.textContent),
    };
  });
  await context.close();
  assert.equal(layout.lang, 'zh-CN');
  assert.ok(layout.widthInEm > 34 && layout.widthInEm <= 36.5, `measure ${layout.widthInEm.toFixed(1)}em`);
  assert.ok(Math.abs(layout.lineHeight - 1.9) < 0.01, `line height ${layout.lineHeight}`);
  assert.match(layout.font, /Noto Serif CJK SC/);
  assert.equal(layout.headings[0], 1);
  for (let i = 1; i < layout.headings.length; i++) assert.ok(layout.headings[i]! <= layout.headings[i - 1]! + 1, `heading levels ${layout.headings.join(',')} skip none`);
  assert.deepEqual(layout.alts, ['工人俱乐部旧照（局部）']);
  assert.deepEqual(layout.traditional, ['礦工們扶老攜幼']);
});

test('the keyboard reaches the featured stories from the top of the home page, with a visible focus', { skip: missing ?? false }, async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  let reached: { href: string; outline: string } | null = null;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const a = document.activeElement as HTMLAnchorElement | null;
      return a?.getAttribute('href') === '/stories/club' ? { href: a.getAttribute('href')!, outline: getComputedStyle(a).outlineStyle } : null;
    });
  }
  await context.close();
  assert.ok(reached, 'Tab reaches the first featured story');
  assert.notEqual(reached.outline, 'none', 'the focused link shows an outline');
});
