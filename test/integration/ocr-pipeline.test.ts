import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { createApp } from '../../src/web/app.ts';
import { characterErrorRate } from '../support/cer.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
const fold = (s: string) => s.replace(/\s+/g, '').replace(/[，,]/g, ',').replace(/[。.]/g, '.').replace(/[：:]/g, ':').replace(/[；;]/g, ';');

before(async () => { t = await createTestArchive(); });
after(async () => { await t.close(); });

test('a scanned PDF becomes searchable text: each page OCRed with its image, confidence and character boxes', async () => {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'scans', 'pdf-scan-image-only.pdf'));
  const { outcome, job } = await ingestBytes(t.archive, bytes, 'scan-image-only.pdf');
  assert.equal(job?.status, 'done', job?.error ?? '');
  const id = outcome.status === 'queued' ? outcome.documentId : '';
  const pages = t.archive.catalogue.pages.listForDocument(id);
  assert.equal(pages.length, 2);
  const truths = ['scan-simplified.gt.txt', 'scan-traditional-mines.gt.txt'].map((f) => fs.readFileSync(path.join(FIXTURES, 'scans', f), 'utf8'));
  for (const [i, page] of pages.entries()) {
    assert.equal(page.source, 'ocr');
    assert.equal(page.needsOcr, false);
    assert.ok(page.confidence !== null && page.confidence > 0.5 && page.confidence <= 1);
    assert.ok(page.hasImage && t.archive.images.exists(id, page.number, 'page') && t.archive.images.exists(id, page.number, 'thumb'));
    assert.ok(page.layout && page.layout.boxes.length === page.layout.chars.length * 4);
    const cer = characterErrorRate(fold(page.text), fold(truths[i]!));
    assert.ok(cer < 0.1, `page ${page.number} character error rate ${cer.toFixed(3)}`);
  }
  // The second page is printed in traditional characters: it is read as such, and found by a simplified query.
  assert.match(pages[1]!.text, /礦務局/);
  const res = await t.archive.search.searchPages({ q: '矿务局', page: 1, size: 20, sort: 'relevance', includeUnpublished: true });
  assert.ok(res.hits.some((h) => h.documentId === id && h.pageNumber === 2));
  const app = createApp(t.archive, { log: () => {} });
  const api = await request(app).get(`/api/documents/${id}/pages/2`);
  assert.equal(api.body.source, 'ocr');
  assert.equal(api.body.imageUrl, `/documents/${id}/pages/2/image`);
  const image = await request(app).get(api.body.imageUrl);
  assert.equal(image.status, 200);
  assert.equal(image.headers['content-type'], 'image/webp');
});

test('a mixed PDF is OCRed only where the text layer is missing', async () => {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'scans', 'pdf-mixed-text-and-scan.pdf'));
  const { outcome, job } = await ingestBytes(t.archive, bytes, 'mixed.pdf');
  assert.equal(job?.status, 'done', job?.error ?? '');
  const id = outcome.status === 'queued' ? outcome.documentId : '';
  const [first, second] = t.archive.catalogue.pages.listForDocument(id);
  assert.equal(first!.source, 'text-layer');
  assert.match(first!.text + (first!.headline ?? ''), /油印材料的扫描件/);
  assert.equal(second!.source, 'ocr');
  const cer = characterErrorRate(fold(second!.text), fold(fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-faded.gt.txt'), 'utf8')));
  assert.ok(cer < 0.1, `faded scan error rate ${cer.toFixed(3)}`);
});

test('a multi-page TIFF is a multi-page document', async () => {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-multipage.tif'));
  const { outcome, job } = await ingestBytes(t.archive, bytes, 'scan-multipage.tif', { lang: 'chi_sim' });
  assert.equal(job?.status, 'done', job?.error ?? '');
  const id = outcome.status === 'queued' ? outcome.documentId : '';
  const pages = t.archive.catalogue.pages.listForDocument(id);
  assert.equal(pages.length, 2);
  assert.ok(pages.every((p) => p.source === 'ocr' && p.text.length > 50));
  assert.equal(t.archive.catalogue.jobs.get(job!.id)!.pagesDone, 2);
});

/** A multi-page TIFF of the given scans (greyscale, each fitted into the first one's size), 300 DPI. */
async function volumeTiff(names: string[]): Promise<Buffer> {
  const first = await sharp(path.join(FIXTURES, 'scans', names[0]!)).metadata();
  const width = first.width;
  const height = first.height;
  const pages = await Promise.all(names.map((name) => sharp(path.join(FIXTURES, 'scans', name)).rotate().greyscale()
    .resize(width, height, { fit: 'contain', background: '#ffffff' }).extractChannel(0).raw().toBuffer()));
  return sharp(Buffer.concat(pages), { raw: { width, height: height * pages.length, channels: 1, pageHeight: height } })
    .tiff({ compression: 'lzw', xres: 300 / 25.4, yres: 300 / 25.4 }).toBuffer();
}

test('a traditional volume: once two pages came out traditional, later pages are read once, in traditional script', async () => {
  const names = ['scan-traditional-helan.jpg', 'scan-traditional-mines.jpg', 'scan-traditional-helan.jpg', 'scan-traditional-mines.jpg', 'scan-traditional-helan.jpg'];
  const { outcome, job } = await ingestBytes(t.archive, await volumeTiff(names), 'traditional-volume.tif');
  assert.equal(job?.status, 'done', job?.error ?? '');
  const id = outcome.status === 'queued' ? outcome.documentId : '';
  const pages = t.archive.catalogue.pages.listForDocument(id);
  assert.equal(pages.length, names.length);
  for (const page of pages) assert.match(page.text, /礦|賀蘭山/, `page ${page.number} is read in traditional characters`);
  const readings = new Map(t.archive.catalogue.audit.recent(1000)
    .filter((e) => e.action === 'ocr-page' && e.target.startsWith(`${id}/`))
    .map((e) => [Number(e.target.split('/')[1]), e.detail ?? '']));
  assert.equal(readings.size, names.length);
  for (const detail of readings.values()) assert.match(detail, /^chi_tra /);
  assert.match(readings.get(1) ?? '', /\(2 readings\)/, 'the first page is decided by both models');
  const once = [...readings.values()].filter((d) => d.includes('(1 reading)')).length;
  assert.ok(once >= 2, `${once} pages read once: ${[...readings.values()].join('; ')}`);
});
