import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import sharp from 'sharp';
import { createApp } from '../../src/web/app.ts';
import type { PageLayout } from '../../src/catalogue/types.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let docId = '';

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  // Its Chinese font (GBK-EUC-H) is not embedded: without a Chinese fallback font every character is an empty box.
  const bytes = fs.readFileSync(path.join(FIXTURES, 'pdf', 'gbk-euc-h-nonembedded.pdf'));
  const { outcome, job } = await ingestBytes(t.archive, bytes, 'gbk-euc-h-nonembedded.pdf');
  assert.equal(job?.status, 'done', job?.error ?? '');
  docId = outcome.status === 'queued' ? outcome.documentId : '';
});
after(async () => { await t.close(); });

/** Share of dark pixels in a layout box of the page image (grey 0..255, dark < 128). */
async function inkIn(image: Buffer, layout: PageLayout, charIndex: number): Promise<number> {
  const meta = await sharp(image).metadata();
  const scale = meta.width / layout.width;
  const [x, y, w, h] = layout.boxes.slice(charIndex * 4, charIndex * 4 + 4) as [number, number, number, number];
  const region = { left: Math.round(x * scale), top: Math.round(y * scale), width: Math.round(w * scale), height: Math.round(h * scale) };
  const { data } = await sharp(image).extract(region).greyscale().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (const v of data) if (v < 128) dark++;
  return dark / data.length;
}

test('a text-layer PDF page gets a page image and thumbnail, with its text and boxes kept', async () => {
  const page = t.archive.catalogue.pages.get(docId, 1)!;
  assert.equal(page.source, 'text-layer');
  assert.equal(page.hasImage, true);
  assert.ok(page.layout, 'the extraction layout is kept');
  assert.match(page.text, /汝箕沟在贺兰山深处/);
  const image = await request(app).get(`/documents/${docId}/pages/1/image`).buffer(true);
  assert.equal(image.status, 200);
  assert.equal(image.headers['content-type'], 'image/webp');
  const meta = await sharp(image.body as Buffer).metadata();
  assert.equal(meta.width, page.imageWidth);
  assert.equal(meta.height, page.imageHeight);
  assert.equal(Math.max(meta.width, meta.height), 2000, 'an A4 page rendered at 300 DPI is scaled to 2000 px on its long side');
  // Page and image have the same proportions, so the layout's boxes land on the characters.
  assert.ok(Math.abs(meta.width / meta.height - page.layout!.width / page.layout!.height) < 0.005);
  const thumb = await request(app).get(`/documents/${docId}/pages/1/thumb`).buffer(true);
  assert.equal(thumb.status, 200);
  assert.ok((await sharp(thumb.body as Buffer).metadata()).width <= 300);
});

test('non-embedded Chinese fonts render as real glyphs, not as empty boxes', async () => {
  const page = t.archive.catalogue.pages.get(docId, 1)!;
  const layout = page.layout!;
  const image = fs.readFileSync(t.archive.images.pathOf(docId, 1, 'page'));
  const one = layout.chars.indexOf('一');
  const black = layout.chars.indexOf('黑');
  assert.ok(one > 0 && black > 0);
  const inkOne = await inkIn(image, layout, one);
  const inkBlack = await inkIn(image, layout, black);
  // An empty-box glyph has the same ink whatever the character; 黑 has many strokes, 一 has one.
  assert.ok(inkOne > 0.005, `一 is drawn (ink ${inkOne.toFixed(3)})`);
  assert.ok(inkBlack > inkOne * 2.5, `黑 (${inkBlack.toFixed(3)}) has far more ink than 一 (${inkOne.toFixed(3)})`);
});

test('a resumed job does not render an image twice', async () => {
  const file = t.archive.images.pathOf(docId, 1, 'page');
  const before = fs.statSync(file).mtimeMs;
  const { renderMissingPageImages } = await import('../../ingest/page-images-stage.ts');
  const doc = t.archive.catalogue.documents.get(docId)!;
  const rendered = await renderMissingPageImages(doc, 'pdf', t.archive.originals.read(doc.sha256), t.archive);
  assert.equal(rendered, 0);
  assert.equal(fs.statSync(file).mtimeMs, before);
});
