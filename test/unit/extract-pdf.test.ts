import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { meaningfulTitle, PdfReadError, readPdfPages } from '../../ingest/extract-pdf.ts';
import { FIXTURES } from '../support/harness.ts';

const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));

test('positioned runs: page size in points, baselines measured from the top, text as drawn', async () => {
  const pdf = await readPdfPages(read('pdf/two-column-out-of-order.pdf'), { maxPages: 10 }, (page) => page);
  assert.equal(pdf.pageCount, 1);
  const [page] = pdf.pages;
  assert.ok(page);
  assert.equal(Math.round(page.width), 595);
  assert.equal(Math.round(page.height), 842);
  const headline = page.runs.find((run) => run.text === '贺兰山下的工人俱乐部');
  assert.ok(headline, 'the headline run');
  assert.equal(headline.size, 24);
  assert.ok(Math.abs(headline.y - 80) < 0.1, `baseline 80 pt from the top, got ${headline.y}`);
  assert.ok(Math.abs(headline.length - 240) < 0.1);
  assert.deepEqual([headline.dirX, headline.dirY, headline.vertical], [1, 0, false]);
  assert.equal(pdf.info.title, '贺兰山下的工人俱乐部');
});

test('titles that programs write by themselves are not suggested', () => {
  for (const junk of ['Microsoft Word - 2024年第3版.doc', 'untitled', '无标题', 'scan0001.pdf', 'layout.indd', '  ']) {
    assert.equal(meaningfulTitle(junk), null, junk);
  }
  assert.equal(meaningfulTitle(' 石炭井印迹 · 第二辑 '), '石炭井印迹 · 第二辑');
  assert.equal(meaningfulTitle(undefined), null);
});

test('unreadable PDFs fail with a typed error: encrypted, truncated, too many pages', async () => {
  const code = async (rel: string, maxPages = 10) => {
    try {
      await readPdfPages(read(rel), { maxPages }, () => 0);
      return 'read';
    } catch (error) {
      assert.ok(error instanceof PdfReadError, String(error));
      return error.code;
    }
  };
  assert.equal(await code('invalid/encrypted-password.pdf'), 'pdf-encrypted');
  assert.equal(await code('invalid/truncated.pdf'), 'pdf-corrupt');
  assert.equal(await code('pdf/unigb-ucs2-multipage.pdf', 2), 'pdf-too-many-pages');
  assert.equal(await code('pdf/unigb-ucs2-multipage.pdf', 3), 'read');
});
