import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { extractPages } from '../../ingest/extract.ts';
import { documentLooksChinese, judgePageText } from '../../ingest/text-quality.ts';
import { FIXTURES } from '../support/harness.ts';

const chinese = { expectChinese: true };
const anyLanguage = { expectChinese: false };

test('a font without ToUnicode: the page needs OCR, whatever language the document is in', async () => {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'pdf', 'font-without-tounicode.pdf'));
  for (const language of ['', 'eng']) {
    const extraction = await extractPages('pdf', bytes, { maxPages: 10, maxImagePixels: 1e8, language });
    assert.deepEqual(extraction.pages.map((p) => p.kind), ['needs-ocr'], `language "${language}"`);
  }
});

test('garbled layers: control and private-use characters, U+FFFD, punctuation soup, glyph ids counting up', () => {
  assert.deepEqual(judgePageText('\u0003\u0004\u0005\u0006\u0007\b 一', chinese), { usable: false, reason: 'garbled' });
  assert.deepEqual(judgePageText('\uE001\uE002\uE003\uE004 中', anyLanguage), { usable: false, reason: 'garbled' });
  assert.deepEqual(judgePageText('\uFFFD\uFFFD\uFFFD\uFFFD文字', anyLanguage), { usable: false, reason: 'garbled' });
  assert.deepEqual(judgePageText('!"#$%&\'()*+,-./ :;<=>?@ [\\]^_ {|}~ ab', anyLanguage), { usable: false, reason: 'garbled' });
  assert.deepEqual(judgePageText('CDEFGHIJ KLMNOP QRSTUV 3456 WXYZ', anyLanguage), { usable: false, reason: 'garbled' });
});

test('a Chinese document page with no Han character needs OCR', () => {
  assert.deepEqual(judgePageText('Tiao Bei Xin Wen Da Wu Kou', chinese), { usable: false, reason: 'no-han' });
});

test('real text is usable: Chinese with numbers and Latin names, English, number tables, short pages', () => {
  assert.ok(judgePageText('2024年9月20日，区政协召开文史资料工作座谈会，资料室使用 Meilisearch 1.x 检索 PDF 文件。', chinese).usable);
  assert.ok(judgePageText('The Shitanjing mining district lies in the Helan Mountains, north of Yinchuan.', anyLanguage).usable);
  assert.ok(judgePageText('1956 1957 1958 1959\n12 345 6789 1234\n2345 3456 4567', anyLanguage).usable);
  assert.ok(judgePageText('一、三线来的人', chinese).usable);
  assert.ok(judgePageText('第一章 abc def', anyLanguage).usable);
});

test('empty and nearly empty pages have no text', () => {
  assert.deepEqual(judgePageText(' \n\n ', chinese), { usable: false, reason: 'empty' });
  assert.deepEqual(judgePageText('5', chinese), { usable: false, reason: 'empty' });
});

test('a document counts as Chinese unless its language says otherwise and no page has Han text', () => {
  assert.equal(documentLooksChinese(['abc'], ''), true);
  assert.equal(documentLooksChinese(['abc'], 'zh-CN'), true);
  assert.equal(documentLooksChinese(['abc'], 'eng'), false);
  assert.equal(documentLooksChinese(['abc', '石炭井'], 'eng'), true);
});
