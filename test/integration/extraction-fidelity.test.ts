/**
 * Golden test of text-layer PDFs through the real pipeline: every fixture PDF with an `.expected.txt` is
 * ingested into a real archive, and what is stored (headline, dek, byline, body paragraphs, captions) is
 * compared with the clean text a reader should get. OCR is left out (a server without OCR capacity): the
 * garbled page must then stay "needs OCR" and out of the index, instead of being indexed as noise.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { PageRecord } from '../../src/catalogue/types.ts';
import { createApp } from '../../src/web/app.ts';
import { runJob } from '../../ingest/job-runner.ts';
import { processOwner, submitFile, type IngestDeps } from '../../ingest/pipeline.ts';
import { hasDoubledPunctuation } from '../../ingest/clean-rules/fake-bold.ts';
import { characterErrorRate, editDistance } from '../support/cer.ts';
import { createTestArchive, FIXTURES, type TestArchive } from '../support/harness.ts';

const PDF_DIR = path.join(FIXTURES, 'pdf');
const FIXTURE_NAMES = fs.readdirSync(PDF_DIR)
  .filter((file) => file.endsWith('.pdf') && fs.existsSync(path.join(PDF_DIR, file.replace(/\.pdf$/, '.expected.txt'))))
  .map((file) => file.replace(/\.pdf$/, ''))
  .sort();
const LEGITIMATE_REPEATS = ['谢谢', '人人', '天天', '家家户户', '研究研究', '哈哈哈', '一组组', '一项项', '好好学习', '高高兴兴'];
const MAX_CER = 0.005;

let t: TestArchive;
let app: ReturnType<typeof createApp>;
const documentIds = new Map<string, string>();

function expectedPages(name: string): string[] {
  const text = fs.readFileSync(path.join(PDF_DIR, `${name}.expected.txt`), 'utf8').replace(/\n+$/, '');
  return text.split(/\n\f\n/);
}

function storedPages(name: string): PageRecord[] {
  return t.archive.catalogue.pages.listForDocument(documentIds.get(name) as string);
}

/** A stored page as the expected files write it: one paragraph a line, blank lines between, captions last. */
function asExpected(page: PageRecord): string {
  const body = page.text === '' ? [] : page.text.split('\n');
  return [page.headline, page.dek, page.byline, ...body, ...page.captions].filter((part): part is string => !!part).join('\n\n');
}

function count(text: string, word: string): number {
  return text.split(word).length - 1;
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const deps: IngestDeps = { ...t.archive, ocr: undefined };
  for (const name of FIXTURE_NAMES) {
    const bytes = fs.readFileSync(path.join(PDF_DIR, `${name}.pdf`));
    const outcome = submitFile(bytes, `${name}.pdf`, { actor: 'test', publish: true, owner: processOwner() }, deps);
    assert.equal(outcome.status, 'queued', name);
    if (outcome.status !== 'queued') continue;
    const job = await runJob(outcome.job, deps);
    assert.equal(job.status, 'done', `${name}: ${job.error ?? ''}`);
    documentIds.set(name, outcome.documentId);
  }
});
after(async () => { await t.close(); });

test('the fixtures are all there', () => {
  for (const name of ['fake-bold-runs', 'fake-bold-lines', 'letter-spaced-justified', 'two-column-out-of-order', 'font-without-tounicode',
    'gbk-euc-h-nonembedded', 'unigb-ucs2-multipage', 'newspaper-dawukou-2024']) {
    assert.ok(FIXTURE_NAMES.includes(name), name);
  }
});

test('stored text of every fixture reads like the printed page: character error rate at most 0.5 %', () => {
  const rates: string[] = [];
  for (const name of FIXTURE_NAMES) {
    const expected = expectedPages(name);
    const stored = storedPages(name);
    assert.equal(stored.length, expected.length, `${name}: page count`);
    let distance = 0;
    let length = 0;
    stored.forEach((page, index) => {
      const reference = expected[index] as string;
      distance += editDistance(asExpected(page), reference);
      length += Array.from(reference).length;
    });
    const rate = length === 0 ? distance : distance / length;
    rates.push(`${name}: ${(rate * 100).toFixed(2)} %`);
    assert.ok(rate <= MAX_CER, `${name}: CER ${(rate * 100).toFixed(2)} %\n${stored.map(asExpected).join('\n\f\n')}`);
  }
  assert.equal(rates.length, FIXTURE_NAMES.length);
});

test('no doubled CJK punctuation and no spaces between Han characters in what is stored', () => {
  for (const name of FIXTURE_NAMES) {
    for (const page of storedPages(name)) {
      for (const paragraph of [...page.text.split('\n'), ...page.captions, page.dek ?? '']) {
        assert.equal(hasDoubledPunctuation(paragraph), false, `${name} p${page.number}: ${paragraph}`);
        assert.doesNotMatch(paragraph, /\p{Script=Han}[ \t\u3000]+\p{Script=Han}/u, `${name} p${page.number}`);
      }
    }
  }
  // The check itself sees what fake bold leaves behind.
  assert.equal(hasDoubledPunctuation('时光为笔，，书写'), true);
});

test('every legitimate repeat survives undoubling', () => {
  let checked = 0;
  for (const name of FIXTURE_NAMES) {
    const expected = expectedPages(name).join('\n');
    const stored = storedPages(name).map(asExpected).join('\n');
    for (const word of LEGITIMATE_REPEATS) {
      assert.equal(count(stored, word), count(expected, word), `${name}: ${word}`);
      checked += count(expected, word);
    }
  }
  assert.ok(checked >= LEGITIMATE_REPEATS.length, 'the fixtures contain every repeat at least once');
});

test('headlines drawn last are found as headlines and suggest the document title', async () => {
  const twoColumn = storedPages('two-column-out-of-order')[0] as PageRecord;
  assert.equal(twoColumn.headline, '贺兰山下的工人俱乐部');
  const newspaper = storedPages('newspaper-dawukou-2024')[0] as PageRecord;
  assert.equal(newspaper.headline, '凝心聚力促发展 奋楫扬帆开新局');
  assert.equal(newspaper.dek, '——大武口区政协2024年工作亮点回眸');
  assert.equal(newspaper.byline, '本报记者 罗鸣 文/图');
  const titleOf = (name: string) => t.archive.catalogue.documents.get(documentIds.get(name) as string)?.metadata.title ?? '';
  assert.equal(titleOf('two-column-out-of-order'), '贺兰山下的工人俱乐部');
  assert.ok(titleOf('newspaper-dawukou-2024').startsWith('凝心聚力促发展 奋楫扬帆开新局'), titleOf('newspaper-dawukou-2024'));
  assert.ok(!newspaper.text.includes('凝心聚力'), 'the headline is not repeated in the body');
});

test('captions are stored apart from the body', () => {
  const newspaper = storedPages('newspaper-dawukou-2024')[0] as PageRecord;
  assert.equal(newspaper.captions.length, 8);
  assert.equal(newspaper.captions[0], '2024年9月13日，大武口区委书记汤瑞（右三）调研重点提案办理情况。');
  for (const caption of newspaper.captions) assert.ok(!newspaper.text.includes(caption), caption);
  // A body paragraph that opens with a date stays in the body.
  const letterSpaced = storedPages('letter-spaced-justified')[0] as PageRecord;
  assert.deepEqual(letterSpaced.captions, []);
  assert.match(letterSpaced.text, /^2024年9月20日，区政协召开文史资料工作座谈会/mu);
});

test('running header and page numbers of a multi-page volume are gone; a paragraph cut by a page break is whole', () => {
  const pages = storedPages('unigb-ucs2-multipage');
  assert.equal(pages.length, 3);
  for (const page of pages) {
    assert.ok(!page.text.includes('石炭井印迹'), `page ${page.number}`);
    assert.doesNotMatch(page.text, /^\s*[—-]?\s*\d+\s*[—-]?\s*$/mu, `page ${page.number}`);
  }
  assert.match(pages[1]?.text ?? '', /片子常常要在几$/u);
});

test('the page with a garbled text layer waits for OCR and nothing of it is indexed', async () => {
  const [page] = storedPages('font-without-tounicode');
  assert.ok(page);
  assert.equal(page.needsOcr, true);
  assert.equal(page.text, '');
  assert.equal(page.layout, null);
  const garbledId = documentIds.get('font-without-tounicode');
  for (const q of ['石炭井矿区概况', '贺兰山腹地', '多对矿井', '五湖四海', 'DEFGHIJ', 'MNOP']) {
    const res = await request(app).get('/api/search').query({ q, size: 100 });
    assert.equal(res.status, 200);
    assert.ok(!res.body.hits.some((hit: { documentId: string }) => hit.documentId === garbledId), q);
  }
  // The same search does find text-layer pages: the check can fail.
  const found = await request(app).get('/api/search').query({ q: '五湖四海', size: 100 });
  assert.ok(found.body.total > 0);
});

test('text-layer pages keep a box for every character, on the page at 144 DPI', () => {
  const page = storedPages('two-column-out-of-order')[0] as PageRecord;
  const layout = page.layout;
  assert.ok(layout);
  assert.equal(layout.width, Math.round(595.28 * 2));
  assert.equal(layout.height, Math.round(841.89 * 2));
  assert.equal(layout.boxes.length, 4 * layout.chars.length);
  const at = layout.chars.indexOf('贺兰山下');
  const [x, y, w, h] = layout.boxes.slice(4 * at, 4 * at + 4) as [number, number, number, number];
  // The headline is drawn at x = 177.64 pt, baseline 80 pt from the top, 24 pt type.
  assert.ok(Math.abs(x - 355) <= 2, `x ${x}`);
  assert.ok(y < 160 && y + h > 150, `y ${y} h ${h}`);
  assert.ok(Math.abs(w - 48) <= 2, `w ${w}`);
  assert.ok(layout.chars.indexOf('石炭井的工人俱乐部') < layout.chars.indexOf('放电影的日子'), 'left column before right');
});

test('the page view shows headline, dek, byline and captions as such; the API returns body and captions apart', async () => {
  const id = documentIds.get('newspaper-dawukou-2024') as string;
  const html = await request(app).get(`/documents/${id}/pages/1`).query({ q: '罗鸣' });
  assert.equal(html.status, 200);
  assert.match(html.text, /<h1 class="headline">凝心聚力促发展 奋楫扬帆开新局<\/h1>/u);
  assert.match(html.text, /<p class="dek">——大武口区政协2024年工作亮点回眸<\/p>/u);
  assert.match(html.text, /<p class="byline">本报记者 <mark>罗鸣<\/mark> 文\/图<\/p>/u);
  const figcaptions = html.text.match(/<figcaption>[^<]*<\/figcaption>/gu) ?? [];
  assert.equal(figcaptions.length, 8);
  assert.ok(figcaptions[0]?.includes('2024年9月13日，大武口区委书记汤瑞（右三）调研重点提案办理情况。'));
  const body = html.text.slice(html.text.indexOf('<p class="byline">'), html.text.indexOf('<section class="captions">'));
  assert.ok(!body.includes('汤瑞'), 'captions are not mixed into the body paragraphs');
  assert.match(body, /<p>时光为笔，书写忠诚履职的真挚情怀；初心着墨，谱写团结奋斗的时代华章。<\/p>/u);

  const api = await request(app).get(`/api/documents/${id}/pages/1`);
  assert.equal(api.status, 200);
  assert.equal(api.body.source, 'text-layer');
  assert.equal(api.body.captions.length, 8);
  assert.ok(api.body.text.startsWith('时光为笔，书写忠诚履职的真挚情怀；'));
  assert.ok(!api.body.text.includes('汤瑞'));
  assert.equal(api.body.text, (storedPages('newspaper-dawukou-2024')[0] as PageRecord).text);
  assert.equal(characterErrorRate(api.body.captions.join('\n'), expectedPages('newspaper-dawukou-2024')[0]?.split('\n\n').slice(-8).join('\n') ?? ''), 0);
});
