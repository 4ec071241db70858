import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { hitRegions } from '../../src/search/hit-boxes.ts';
import { parseQuery } from '../../src/search/query.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let volumeId = '';
let multiId = '';
let hiddenId = '';
let withheldId = '';

const pdf = (name: string) => fs.readFileSync(path.join(FIXTURES, 'pdf', name));
async function ingest(bytes: Buffer, name: string, options: Parameters<typeof ingestBytes>[3]): Promise<string> {
  const { outcome, job } = await ingestBytes(t.archive, bytes, name, options);
  assert.equal(job?.status, 'done', job?.error ?? '');
  return outcome.status === 'queued' ? outcome.documentId : '';
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  volumeId = await ingest(pdf('gbk-euc-h-nonembedded.pdf'), '汝箕沟 "见闻".pdf', {
    collection: 'shitanjing-yinji', collectionTitle: '《石炭井印迹》',
    metadata: { title: '《石炭井印迹》（第二辑）', creator: '政协石嘴山市大武口区委员会', publisher: '银川：宁夏人民出版社', date: '2019年', type: '文史资料', language: 'zh-Hans' },
  });
  multiId = await ingest(pdf('unigb-ucs2-multipage.pdf'), 'multipage.pdf', { metadata: { title: '石炭井回忆', creator: '王秀英', date: '2024' } });
  hiddenId = await ingest(Buffer.from('未发布的汝箕沟草稿。', 'utf8'), 'draft.txt', { publish: false });
  withheldId = await ingest(Buffer.from('汝箕沟的旧信札，仅供阅览。', 'utf8'), 'letters.txt', { metadata: { title: '旧信札', rights: '仅供阅览，不得复制' } });
});
after(async () => { await t.close(); });

/** A response whose body is read as UTF-8 text whatever its type (supertest leaves RIS/BibTeX bodies unread). */
function getText(url: string) {
  return request(app).get(url).buffer(true).parse((r, cb) => {
    let body = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => { body += c; });
    r.on('end', () => cb(null, body));
  }).then((res) => Object.assign(res, { text: res.body as string }));
}

/** Attributes of every element matching a tag in the HTML, e.g. all <rect>s. */
function elements(html: string, tag: string): Array<Record<string, string>> {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

test('a page arriving from a search: matches marked in the text and boxed on the scan at the stored character boxes', async () => {
  const res = await request(app).get(`/documents/${volumeId}/pages/1`).query({ q: '汝箕沟' });
  assert.equal(res.status, 200);
  const page = t.archive.catalogue.pages.get(volumeId, 1)!;
  // The text: every occurrence marked, numbered for the "next match" control.
  const marks = [...res.text.matchAll(/<mark>汝箕沟<\/mark>/g)].length;
  assert.equal(marks, 3, 'headline, first sentence and the quotation');
  assert.match(res.text, /本页共 3 处匹配 · 原件图像上标出 3 处/);
  assert.match(res.text, /<a class="match-step" id="match-next" href="#hit-1">/);
  // The scan: the page image with an SVG overlay in the layout's space, a box per hit.
  assert.match(res.text, new RegExp(`<img class="scan-image" src="/documents/${volumeId}/pages/1/image" width="${page.imageWidth}" height="${page.imageHeight}"`));
  const svg = elements(res.text, 'svg').find((s) => s.class === 'scan-hits')!;
  assert.equal(svg.viewBox, `0 0 ${page.layout!.width} ${page.layout!.height}`);
  const rects = elements(res.text, 'rect').map((r) => ({ x: Number(r.x), y: Number(r.y), w: Number(r.width), h: Number(r.height) }));
  const expected = hitRegions(page.layout!, parseQuery('汝箕沟')).flatMap((r) => r.boxes);
  assert.equal(rects.length, 3);
  assert.deepEqual(rects, expected);
  // The title's three characters: three 36-unit boxes from x=144 merged into one.
  assert.deepEqual(rects[0], { x: 144, y: 148, w: 108, h: 36 });
  assert.match(res.text, /<g class="scan-hit" id="hit-1"><title>汝箕沟<\/title>/);
  // The permalink leaves q out; the navigation keeps it.
  assert.match(res.text, new RegExp(`<link rel="canonical" href="/documents/${volumeId}/pages/1">`));
});

test('a traditional query boxes the simplified characters; a page without the term says so', async () => {
  const res = await request(app).get(`/documents/${volumeId}/pages/1`).query({ q: '礦區' });
  assert.equal(elements(res.text, 'rect').length, 1);
  assert.match(res.text, /<mark>矿区<\/mark>/);
  const none = await request(app).get(`/documents/${volumeId}/pages/1`).query({ q: '贺兰山下' });
  assert.equal(elements(none.text, 'rect').length, 0);
  assert.match(none.text, /本页没有“贺兰山下”。/);
});

test('the page viewer works without script or inline styles: links, jump form, thumbnails, external script only', async () => {
  const res = await request(app).get(`/documents/${multiId}/pages/2`).query({ q: '矿' });
  assert.equal(res.status, 200);
  const doc = t.archive.catalogue.documents.get(multiId)!;
  assert.ok(doc.pageCount >= 3, `fixture has ${doc.pageCount} pages`);
  assert.match(res.text, new RegExp(`<a rel="prev" href="/documents/${multiId}/pages/1\\?q=%E7%9F%BF" id="page-prev">`));
  assert.match(res.text, new RegExp(`<a rel="next" href="/documents/${multiId}/pages/3\\?q=%E7%9F%BF" id="page-next">`));
  assert.match(res.text, new RegExp(`<form class="page-jump" action="/documents/${multiId}/goto" method="get">`));
  assert.match(res.text, /<input type="hidden" name="q" value="矿">/);
  const thumbs = [...res.text.matchAll(new RegExp(`<img src="/documents/${multiId}/pages/(\\d+)/thumb"`, 'g'))].map((m) => Number(m[1]));
  assert.deepEqual(thumbs, Array.from({ length: doc.pageCount }, (_, i) => i + 1), 'a thumbnail per page (short document)');
  assert.match(res.text, /<li class="current"><a href="[^"]*pages\/2[^"]*" aria-current="page">/);
  assert.match(res.text, /<script src="\/static\/reader.js" defer><\/script>/);
  // Inline code is forbidden by the CSP; a JSON-LD data block is not code.
  assert.doesNotMatch(res.text, /<script(?![^>]*\b(?:src=|type="application\/ld\+json"))[^>]*>/, 'no inline script');
  assert.doesNotMatch(res.text, /\sstyle="/, 'no inline style (the CSP forbids them)');
  const jump = await request(app).get(`/documents/${multiId}/goto`).query({ n: '99', q: '矿' });
  assert.equal(jump.status, 303);
  assert.equal(jump.headers.location, `/documents/${multiId}/pages/${doc.pageCount}?q=%E7%9F%BF`);
  assert.equal((await request(app).get(`/documents/${multiId}/pages/0`)).status, 404);
  assert.equal((await request(app).get(`/documents/${multiId}/pages/abc`)).status, 404);
});

test('citation panel: GB/T 7714 reference of the page and of the document, permalink, exports, Highwire tags', async () => {
  const res = await request(app).get(`/documents/${volumeId}/pages/1`).set('Host', 'wenshi.example');
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const reference = (/<p class="reference" id="reference-page" lang="zh">([^<]*)<\/p>/.exec(res.text) ?? [])[1];
  assert.equal(reference,
    `汝箕沟矿区见闻[G/OL]//政协石嘴山市大武口区委员会. 石炭井印迹: 第二辑. 银川: 宁夏人民出版社, 2019: 1[${today}]. http://wenshi.example/documents/${volumeId}/pages/1.`);
  assert.match(res.text, new RegExp(`<p class="reference" id="reference-document" lang="zh">政协石嘴山市大武口区委员会. 石炭井印迹: 第二辑\\[G/OL\\]. 银川: 宁夏人民出版社, 2019\\[${today}\\]. http://wenshi.example/documents/${volumeId}.</p>`));
  assert.match(res.text, /<button type="button" class="copy-reference" data-copy="reference-page" data-copied="已复制" hidden>复制<\/button>/);
  assert.match(res.text, new RegExp(`<a href="/documents/${volumeId}/pages/1/cite.ris" download>RIS</a>`));
  const head = res.text.slice(0, res.text.indexOf('</head>'));
  assert.match(head, /<meta name="citation_title" content="汝箕沟矿区见闻">/);
  assert.match(head, /<meta name="citation_inbook_title" content="石炭井印迹">/);
  assert.match(head, /<meta name="citation_publication_date" content="2019">/);
  assert.match(head, /<meta name="citation_publisher" content="宁夏人民出版社">/);
  assert.match(head, /<meta name="citation_firstpage" content="1">/);
  assert.match(head, new RegExp(`<meta name="citation_pdf_url" content="http://wenshi.example/documents/${volumeId}/original">`));
  const withheld = await request(app).get(`/documents/${withheldId}/pages/1`);
  assert.doesNotMatch(withheld.text, /citation_pdf_url/, 'no PDF link where rights withhold copies');
});

test('citation exports: RIS, BibTeX and CSL-JSON for a page and for a document', async () => {
  const ris = await getText(`/documents/${volumeId}/pages/1/cite.ris`);
  assert.equal(ris.status, 200);
  assert.match(ris.headers['content-type']!, /^application\/x-research-info-systems; charset=utf-8/);
  assert.match(ris.headers['content-disposition']!, new RegExp(`^attachment; filename=wenshi-${volumeId}-p1\\.ris$`));
  assert.match(ris.text, /^TY {2}- CHAP\r\nTI {2}- 汝箕沟矿区见闻\r\n/);
  assert.match(ris.text, /T2 {2}- 石炭井印迹\r\nVL {2}- 第二辑\r\n/);
  const bib = await getText(`/documents/${volumeId}/cite.bib`);
  assert.match(bib.text, new RegExp(`^@book\\{wenshi-${volumeId},\\n  title = \\{石炭井印迹\\},\\n  author = \\{\\{政协石嘴山市大武口区委员会\\}\\}`));
  const csl = await getText(`/documents/${multiId}/pages/2/cite.json`);
  assert.match(csl.headers['content-type']!, /^application\/vnd.citationstyles.csl\+json/);
  const items = JSON.parse(csl.text) as Array<Record<string, unknown>>;
  assert.equal(items[0]!.page, '2');
  assert.deepEqual(items[0]!.author, [{ literal: '王秀英' }]);
  assert.equal((await request(app).get(`/documents/${volumeId}/cite.doc`)).status, 404);
  assert.equal((await request(app).get(`/documents/${hiddenId}/cite.ris`)).status, 404, 'unpublished documents are not citable by the public');
});

test('document view: Chinese metadata labels, thumbnail grid, search in the document, download and IIIF links', async () => {
  const res = await request(app).get(`/documents/${multiId}`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<dt>题名<\/dt><dd>石炭井回忆<\/dd>/);
  assert.match(res.text, /<dt>责任者<\/dt><dd>王秀英<\/dd>/);
  const doc = t.archive.catalogue.documents.get(multiId)!;
  const grid = res.text.slice(res.text.indexOf('<ol class="page-grid">'));
  assert.equal([...grid.matchAll(/<img src="\/documents\/[0-9a-f]+\/pages\/\d+\/thumb"/g)].length, doc.pageCount);
  assert.match(res.text, new RegExp(`<input type="hidden" name="document" value="${multiId}">`));
  assert.match(res.text, new RegExp(`<a class="download" href="/documents/${multiId}/original">下载原件</a>`));
  assert.match(res.text, new RegExp(`<a href="/iiif/${multiId}/manifest" type="application/ld\\+json">IIIF 清单</a>`));
  const withheld = await request(app).get(`/documents/${withheldId}`);
  assert.match(withheld.text, /原件不提供下载。/);
  assert.equal((await request(app).get(`/documents/${hiddenId}`)).status, 404);
});

test('download of the original: the bytes as uploaded under a safe file name; never for unpublished documents', async () => {
  const res = await request(app).get(`/documents/${volumeId}/original`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.ok((res.body as Buffer).equals(pdf('gbk-euc-h-nonembedded.pdf')));
  // The quotes of the uploaded name are dropped; the UTF-8 name travels in filename*.
  assert.equal(res.headers['content-disposition'], `attachment; filename="??? ??.pdf"; filename*=UTF-8''%E6%B1%9D%E7%AE%95%E6%B2%9F%20%E8%A7%81%E9%97%BB.pdf`);
  assert.equal((await request(app).get(`/documents/${hiddenId}/original`)).status, 404);
  const withheld = await request(app).get(`/documents/${withheldId}/original`);
  assert.equal(withheld.status, 403);
  assert.doesNotMatch(withheld.text, /旧信札，仅供阅览/);
});
