import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

// Taken before any module loads pdf.js: its legacy build replaces Array.prototype.push for the
// whole process on Node 20 (see ingest/pdfjs.ts), which slowed search and indexing ninefold per push.
const nativePush = Array.prototype.push;

test('reading and rendering PDFs leaves the process with the native Array.prototype.push', async () => {
  const { readPdfPages } = await import('../../ingest/extract-pdf.ts');
  const { pdfPageImage } = await import('../../ingest/pdf-page-image.ts');
  const bytes = await readFile(new URL('../../fixtures/scans/pdf-mixed-text-and-scan.pdf', import.meta.url));
  const read = await readPdfPages(bytes, { maxPages: 10 }, (page) => page.runs.length);
  assert.equal(read.pageCount, 2);
  assert.ok((await pdfPageImage(bytes, 2)).length > 1000, 'the scanned page comes out as an image');
  assert.equal(Array.prototype.push, nativePush);
  const list: number[] = [];
  assert.equal(list.push(1, 2), 2);
  assert.deepEqual(list, [1, 2]);
});
