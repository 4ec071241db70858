/**
 * The reader in a real browser (Debian's Chromium driven by playwright-core) against the real app: a scanned
 * PDF is OCRed by the ingest CLI, the server is started as `npm start` would, and a reader searches, opens a
 * hit and sees the match boxed on the scan where the stored character boxes say it is. Screenshots at phone
 * and desktop widths are kept under test-artifacts/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCatalogue } from '../../src/catalogue/index.ts';
import { createSearchEngine } from '../../src/search/meili-client.ts';
import { hitRegions } from '../../src/search/hit-boxes.ts';
import { parseQuery } from '../../src/search/query.ts';
import { FIXTURES, REPO_ROOT, testMeilisearch } from '../support/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
/** 贺兰山 is printed on the first page of the scan (scan-simplified.gt.txt, first line). */
const QUERY = '贺兰山';

let dataDir = '';
let env: NodeJS.ProcessEnv = {};
let server: ChildProcess | null = null;
let serverLog = '';
let browser: Browser | null = null;
let base = '';
let documentId = '';
let dropIndexes: () => Promise<void> = async () => {};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  // A missing browser is a broken test machine, not a reason to pass: fail and say how to fix it.
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the browser tests need Debian's chromium (apt-get install -y chromium)`);
  }
  const meili = await testMeilisearch();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-browser-'));
  const prefix = `b${randomBytes(4).toString('hex')}_`;
  const port = await freePort();
  env = {
    ...process.env, DATA_DIR: dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, MEILI_INDEX_PREFIX: prefix, DEMO: '0',
    PORT: String(port), OCR_WORKERS: '2',
  };
  dropIndexes = () => createSearchEngine(meili.url, meili.apiKey, prefix).dropAllIndexes();
  const scan = path.join(FIXTURES, 'scans', 'pdf-scan-image-only.pdf');
  const ingest = await run(['ingest/cli.ts', '--publish', '--json', scan]);
  assert.equal(ingest.code, 0, `ingest failed: ${ingest.stderr}`);
  const line = JSON.parse(ingest.stdout.trim().split('\n').pop()!) as { status: string; documentId: string };
  assert.equal(line.status, 'imported');
  documentId = line.documentId;

  server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr!.on('data', (d: Buffer) => { serverLog += d.toString(); });
  base = `http://127.0.0.1:${port}`;
  let healthy = false;
  for (let i = 0; i < 300 && !healthy; i++) {
    healthy = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
    if (!healthy) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(healthy, `the server did not become healthy: ${serverLog}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await dropIndexes().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.TEST_MEILI_URL) await (await testMeilisearch()).stop?.();
});

/** The stored boxes of the query's hits on a page, read from the catalogue the server writes. */
function storedHits(pageNumber: number) {
  const catalogue = createCatalogue(dataDir);
  try {
    const page = catalogue.pages.get(documentId, pageNumber)!;
    assert.equal(page.source, 'ocr');
    return { layout: page.layout!, regions: hitRegions(page.layout!, parseQuery(QUERY)) };
  } finally {
    catalogue.close();
  }
}

async function searchAndOpenHit(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('.header-search input[type=search]', QUERY);
  await Promise.all([page.waitForURL(/\/search\?/), page.press('.header-search input[type=search]', 'Enter')]);
  const hit = page.locator(`a[href^="/documents/${documentId}/pages/1?q="]`).first();
  await hit.waitFor();
  await Promise.all([page.waitForURL(new RegExp(`/documents/${documentId}/pages/1\\?q=`)), hit.click()]);
  await page.locator('.scan-image').evaluate((img: HTMLImageElement) => img.decode());
}

/** Half the highlight's outline (2 px, not scaled with zoom): the browser's box of an SVG shape includes its stroke. */
const STROKE = 1;

/** Where a stored layout box should appear on screen, given where the scan image is. */
function expectedRect(img: { x: number; y: number; width: number; height: number }, layout: { width: number; height: number }, box: { x: number; y: number; w: number; h: number }) {
  const sx = img.width / layout.width;
  const sy = img.height / layout.height;
  return { x: img.x + box.x * sx - STROKE, y: img.y + box.y * sy - STROKE, width: box.w * sx + 2 * STROKE, height: box.h * sy + 2 * STROKE };
}

function assertNear(actual: { x: number; y: number; width: number; height: number }, expected: typeof actual, what: string): void {
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= 1.5, `${what}: ${k} is ${actual[k].toFixed(1)}, expected ${expected[k].toFixed(1)}`);
  }
}

test('search, open a hit: the match is boxed over the scan at the stored character boxes (1280 px wide)', async () => {
  const { layout, regions } = storedHits(1);
  assert.ok(regions.length >= 1, `OCR read ${QUERY} on page 1`);
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  // Every resource the reader loads must exist (the browser's own favicon request aside).
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
  try {
    await searchAndOpenHit(page);
    const img = (await page.locator('.scan-image').boundingBox())!;
    const rects = page.locator('.scan-hits .scan-hit rect');
    assert.equal(await rects.count(), regions.flatMap((r) => r.boxes).length);
    const first = page.locator('#hit-1 rect').first();
    assert.ok(await first.isVisible(), 'the highlight box is visible');
    assertNear((await first.boundingBox())!, expectedRect(img, layout, regions[0]!.boxes[0]!), 'highlight box');
    // It lies over the scan and is drawn in the highlight colour.
    const fill = await first.evaluate((el) => getComputedStyle(el).fill);
    assert.match(fill, /rgba\(255, 214, 0/);
    // The text beside it marks the match too; side by side at this width: the scan left of the text.
    const text = (await page.locator('.page-text').boundingBox())!;
    assert.ok(text.x >= img.x + img.width, 'text to the right of the scan');
    assert.ok(await page.locator('.page-text mark').count() >= 1);
    // "Next match" steps through text and scan together.
    await page.click('#match-next');
    assert.match((await page.locator('.page-text mark').first().getAttribute('class')) ?? '', /active/);
    assert.match((await page.locator('#hit-1').getAttribute('class')) ?? '', /active/);
    // Zoom: the box grows with the image and stays on the same characters.
    await page.click('button[data-zoom="in"]');
    const zoomedImg = (await page.locator('.scan-image').boundingBox())!;
    assert.ok(Math.abs(zoomedImg.width - img.width * 1.5) < 2, 'zoomed by 1.5');
    assertNear((await first.boundingBox())!, expectedRect(zoomedImg, layout, regions[0]!.boxes[0]!), 'highlight box after zoom');
    await page.click('button[data-zoom="reset"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'reader-1280.png'), fullPage: true });
    // → goes to the next page, keeping the query.
    await Promise.all([page.waitForURL(new RegExp(`/documents/${documentId}/pages/2\\?q=`)), page.keyboard.press('ArrowRight')]);
    assert.deepEqual(errors, [], 'no script errors, CSP violations or missing resources');
  } finally {
    await context.close();
  }
});

test('on a phone (375 px) the scan is stacked above the text and the box is still on the characters', async () => {
  const { layout, regions } = storedHits(1);
  const context = await browser!.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await searchAndOpenHit(page);
    const img = (await page.locator('.scan-image').boundingBox())!;
    const text = (await page.locator('.page-text').boundingBox())!;
    assert.ok(img.width <= 375 && img.width > 300, `the scan fills the width (${img.width})`);
    assert.ok(text.y >= img.y + img.height - 1, 'the text comes below the scan');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling (${width} px)`);
    assertNear((await page.locator('#hit-1 rect').first().boundingBox())!, expectedRect(img, layout, regions[0]!.boxes[0]!), 'highlight box on a phone');
    await page.screenshot({ path: path.join(ARTIFACTS, 'reader-375.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
