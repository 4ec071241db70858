import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { hitRegions, scaleBox } from '../../src/search/hit-boxes.ts';
import { parseQuery } from '../../src/search/query.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let docId = '';
let textId = '';
let hiddenId = '';
const HOST = 'wenshi.example';
const ORIGIN = `http://${HOST}`;

async function ingest(bytes: Buffer, name: string, options: Parameters<typeof ingestBytes>[3]): Promise<string> {
  const { outcome, job } = await ingestBytes(t.archive, bytes, name, options);
  assert.equal(job?.status, 'done', job?.error ?? '');
  return outcome.status === 'queued' ? outcome.documentId : '';
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  docId = await ingest(fs.readFileSync(path.join(FIXTURES, 'pdf', 'unigb-ucs2-multipage.pdf')), 'multipage.pdf', {
    metadata: { title: '石炭井印迹选篇', creator: '王秀英', description: '三线建设与工人俱乐部', rights: '可自由使用', language: 'zh-Hans' },
  });
  textId = await ingest(Buffer.from('政协志·文史资料工作\f第二页：石炭井的俱乐部', 'utf8'), 'zhi.txt', { metadata: { title: '政协志' } });
  hiddenId = await ingest(Buffer.from('未发布的俱乐部草稿', 'utf8'), 'draft.txt', { publish: false });
});
after(async () => { await t.close(); });

const get = (url: string) => request(app).get(url).set('Host', HOST);

test('Presentation 3 manifest: one canvas per page with its image and size, labels, metadata, rendering, text, search service', async () => {
  const res = await get(`/iiif/${docId}/manifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type']!, /^application\/ld\+json; profile="http:\/\/iiif.io\/api\/presentation\/3\/context.json"/);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  const m = JSON.parse(res.text);
  assert.equal(m['@context'], 'http://iiif.io/api/presentation/3/context.json');
  assert.equal(m.id, `${ORIGIN}/iiif/${docId}/manifest`);
  assert.equal(m.type, 'Manifest');
  assert.deepEqual(m.label, { 'zh-Hans': ['石炭井印迹选篇'] });
  assert.deepEqual(m.metadata.find((e: { label: { zh: string[] } }) => e.label.zh[0] === '责任者').value, { 'zh-Hans': ['王秀英'] });
  assert.deepEqual(m.requiredStatement.value, { 'zh-Hans': ['可自由使用'] });
  assert.deepEqual(m.rendering, [{ id: `${ORIGIN}/documents/${docId}/original`, type: 'Text', format: 'application/pdf', label: { zh: ['原件'], en: ['Original file'] } }]);
  assert.deepEqual(m.service, [{ id: `${ORIGIN}/iiif/${docId}/search`, type: 'SearchService2' }]);
  const doc = t.archive.catalogue.documents.get(docId)!;
  assert.equal(m.items.length, doc.pageCount);
  for (const [i, canvas] of m.items.entries()) {
    const page = t.archive.catalogue.pages.get(docId, i + 1)!;
    assert.equal(canvas.id, `${ORIGIN}/iiif/${docId}/canvas/${i + 1}`);
    assert.equal(canvas.type, 'Canvas');
    assert.deepEqual(canvas.label, { zh: [`第 ${i + 1} 页`], en: [`Page ${i + 1}`] });
    assert.equal(canvas.width, page.imageWidth);
    assert.equal(canvas.height, page.imageHeight);
    const [annotationPage] = canvas.items;
    assert.equal(annotationPage.type, 'AnnotationPage');
    const [painting] = annotationPage.items;
    assert.equal(painting.motivation, 'painting');
    assert.equal(painting.target, canvas.id);
    assert.deepEqual(painting.body, { id: `${ORIGIN}/documents/${docId}/pages/${i + 1}/image`, type: 'Image', format: 'image/webp', width: canvas.width, height: canvas.height });
    assert.deepEqual(canvas.annotations, [{ id: `${canvas.id}/text`, type: 'AnnotationPage' }]);
  }
  // The image behind the painting annotation is served at its full size (level 0 derivative).
  const image = await request(app).get(`/documents/${docId}/pages/1/image`);
  assert.equal(image.status, 200);
});

test('the canvas text: supplementing annotations, line by line where the page has character boxes', async () => {
  const res = await get(`/iiif/${docId}/canvas/1/text`);
  assert.equal(res.status, 200);
  const page = JSON.parse(res.text);
  assert.equal(page.type, 'AnnotationPage');
  assert.ok(page.items.length > 3);
  // The layout keeps what the page prints, the running header too (the clean text drops it).
  assert.deepEqual(page.items.slice(0, 2).map((a: { body: { value: string } }) => a.body.value), ['石炭井印迹 · 第二辑', '二、三线来的人']);
  const first = page.items[1];
  assert.equal(first.motivation, 'supplementing');
  assert.equal(first.body.type, 'TextualBody');
  assert.match(first.target, new RegExp(`^${ORIGIN}/iiif/${docId}/canvas/1#xywh=\\d+,\\d+,\\d+,\\d+$`));
  const whole = JSON.parse((await get(`/iiif/${textId}/canvas/2/text`)).text);
  assert.deepEqual(whole.items.map((a: { body: { value: string }; target: string }) => [a.body.value, a.target]),
    [['第二页：石炭井的俱乐部', `${ORIGIN}/iiif/${textId}/canvas/2`]], 'a transcription page has no boxes: one annotation on the whole canvas');
});

test('Content Search 2.0: an AnnotationPage whose annotations target the hit boxes in canvas pixels', async () => {
  const res = await get(`/iiif/${docId}/search?q=${encodeURIComponent('俱乐部')}`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type']!, /^application\/ld\+json; profile="http:\/\/iiif.io\/api\/search\/2\/context.json"/);
  const answer = JSON.parse(res.text);
  assert.equal(answer['@context'], 'http://iiif.io/api/search/2/context.json');
  assert.equal(answer.type, 'AnnotationPage');
  assert.equal(answer.id, `${ORIGIN}/iiif/${docId}/search?q=%E4%BF%B1%E4%B9%90%E9%83%A8`);
  // Expected: every box of every page's hits, scaled from the layout to the canvas (the page image).
  const expected: string[] = [];
  for (const page of t.archive.catalogue.pages.listForDocument(docId)) {
    for (const region of hitRegions(page.layout!, parseQuery('俱乐部'))) {
      for (const box of region.boxes) {
        const b = scaleBox(box, page.layout!, page.imageWidth!, page.imageHeight!);
        expected.push(`${ORIGIN}/iiif/${docId}/canvas/${page.number}#xywh=${b.x},${b.y},${b.w},${b.h}`);
      }
    }
  }
  assert.ok(expected.length >= 2, `the fixture has 俱乐部 more than once (${expected.length})`);
  assert.deepEqual(answer.items.map((a: { target: string }) => a.target), expected);
  for (const a of answer.items) {
    assert.equal(a.type, 'Annotation');
    assert.equal(a.motivation, 'highlighting');
    assert.equal(a.body.value.length > 0, true);
    const [, x, y, w, h] = /#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(a.target)!.map(Number);
    const canvas = t.archive.catalogue.pages.get(docId, Number(/canvas\/(\d+)#/.exec(a.target)![1]))!;
    assert.ok(x! + w! <= canvas.imageWidth! && y! + h! <= canvas.imageHeight! && w! > 0 && h! > 0, 'inside the canvas');
  }
  const ignored = JSON.parse((await get(`/iiif/${docId}/search?q=x&motivation=painting`)).text);
  assert.deepEqual(ignored.ignored, ['motivation']);
  const none = JSON.parse((await get(`/iiif/${docId}/search?q=${encodeURIComponent('贺兰山下的羊群')}`)).text);
  assert.deepEqual(none.items, []);
});

test('IIIF is for published documents only', async () => {
  for (const url of [`/iiif/${hiddenId}/manifest`, `/iiif/${hiddenId}/search?q=俱乐部`, `/iiif/${hiddenId}/canvas/1/text`, '/iiif/nosuchdocument/manifest']) {
    const res = await get(url);
    assert.equal(res.status, 404, url);
    assert.equal(res.body.error.code, 'not_found');
  }
});
