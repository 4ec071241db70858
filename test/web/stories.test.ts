import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { cropImage } from '../../ingest/image-prep.ts';
import type { StoryContent } from '../../src/catalogue/stories.ts';
import { createStory, deleteStory, setStoryStatus } from '../../src/stories/story-actions.ts';
import { createApp } from '../../src/web/app.ts';
import { discoveryRouter } from '../../src/web/routes/discovery.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

/** The id of a document the ingest accepted. */
function queuedId(result: Awaited<ReturnType<typeof ingestBytes>>): string {
  assert.equal(result.job?.status, 'done', result.job?.error ?? result.outcome.status);
  return result.outcome.status === 'queued' ? result.outcome.documentId : '';
}

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let docId = '';
let hiddenDocId = '';
const imageSize = { width: 0, height: 0 };

async function story(content: Partial<StoryContent> & { slug: string; title: string }, publish = true) {
  const created = await createStory(t.archive, { summary: '', tags: [], era: '', body: '', featured: false, ...content }, '编辑甲');
  return publish ? setStoryStatus(t.archive, created, 'published', '编辑甲') : created;
}

/** Gives page 1 a page image and a caption, as the ingest of a scan would. */
async function addPageImage(documentId: string) {
  const picture = await cropImage(fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-simplified.jpg')), null, { maxSide: 1000 });
  t.archive.images.write(documentId, 1, 'page', picture.webp);
  const page = t.archive.catalogue.pages.get(documentId, 1)!;
  const { documentId: _d, number: _n, correctedText: _c, ...content } = page;
  t.archive.catalogue.pages.save(documentId, 1, { ...content, captions: ['石炭井矿务局工人俱乐部旧照'], imageWidth: picture.width, imageHeight: picture.height, hasImage: true });
  Object.assign(imageSize, { width: picture.width, height: picture.height });
}

function jsonLdOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page carries JSON-LD');
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const published = await ingestBytes(t.archive, Buffer.from('一九六五年，石炭井矿务局建起工人俱乐部。\f露天电影放映的夜晚，矿工们扶老携幼。', 'utf8'), 'club.txt', {
    collection: 'shitanjing', collectionTitle: '石炭井印迹',
    metadata: { title: '石炭井印迹', creator: '大武口区政协', publisher: '宁夏人民出版社', date: '2019年', subject: '石炭井；俱乐部' },
  });
  docId = queuedId(published);
  await addPageImage(docId);
  const hidden = await ingestBytes(t.archive, Buffer.from('内部草稿，尚未公开的矿区资料。', 'utf8'), 'draft.txt', { publish: false });
  hiddenDocId = queuedId(hidden);

  await story({
    slug: 'club', title: '工人俱乐部的露天电影', summary: '石炭井矿区的夜晚', tags: ['石炭井', '俱乐部'], era: '1960年代', featured: true,
    body: [
      '# 俱乐部',
      '',
      `一九六五年，俱乐部落成{{page ${docId} 2}}。<script>alert("x")</script>`,
      '',
      `{{page ${docId} 1 region=10,20,300,200 quote="矿务局建起工人俱乐部"}}`,
      '',
      `{{page ${hiddenDocId} 1 quote="尚未公开的矿区资料"}}`,
      '',
      '[点我](javascript:alert(1)) <img src=x onerror=alert(1)>',
    ].join('\n'),
  });
  await story({ slug: 'rise', title: '石炭井矿区的兴起', summary: '一座煤城的诞生', tags: ['石炭井', '三线建设'], era: '1950年代', body: '勘探队进了贺兰山。'.repeat(200) });
  await story({ slug: 'letter', title: '一封家書', summary: '', tags: ['书信'], era: '1960年代', body: '礦上的日子很苦，但大家都說值得。' });
  await story({ slug: 'near-miss', title: '山下的街', tags: ['老街'], body: '大武川的水流到武口镇，再流过百货大楼的大门口。' });
  await story({ slug: 'secret-draft', title: '未发布的矿区草稿</script><script>alert(1)</script>', tags: ['石炭井'], body: '矿区草稿' }, false);
});
after(async () => { await t.close(); });

test('a story page: figure with the cropped page, the quote, a GB/T 7714 reference and a numbered reference list', async () => {
  const res = await request(app).get('/stories/club');
  assert.equal(res.status, 200);
  assert.match(res.text, /<article class="story" lang="zh-CN">/);
  assert.match(res.text, new RegExp(`<img src="/documents/${docId}/pages/1/crop\\?region=10,20,300,200" alt="石炭井矿务局工人俱乐部旧照（局部）"`));
  assert.match(res.text, /<blockquote class="embed-quote" cite="[^"]+"><p>矿务局建起工人俱乐部<\/p><\/blockquote>/);
  assert.match(res.text, /大区政协|大武口区政协\. 石炭井印迹\[M\/OL\]\. \[出版地不详\]: 宁夏人民出版社, 2019: 1\[\d{4}-\d{2}-\d{2}\]\./);
  const list = res.text.slice(res.text.indexOf('<ol class="references">'));
  assert.match(list, new RegExp(`<li id="ref-1"><span class="ref-number">\\[1\\]</span> 大武口区政协\\. 石炭井印迹\\[M/OL\\]\\. \\[出版地不详\\]: 宁夏人民出版社, 2019: 2\\[[0-9-]+\\]\\. <a href="/documents/${docId}/pages/2">http://127\\.0\\.0\\.1:\\d+/documents/${docId}/pages/2</a>\\.</li>`));
  assert.match(list, /<li id="ref-2">/);
  assert.doesNotMatch(list, /<li id="ref-3">/, 'the unpublished page gets no reference');
  assert.match(res.text, /约 1 分钟读完/);
  const crop = await request(app).get(`/documents/${docId}/pages/1/crop`).query({ region: '10,20,300,200' });
  assert.equal(crop.status, 200);
  assert.equal(crop.headers['content-type'], 'image/webp');
  assert.equal((await request(app).get(`/documents/${hiddenDocId}/pages/1/crop`)).status, 404);
});

test('Markdown cannot inject markup: raw HTML and script links stay text; unpublished references leave no trace', async () => {
  const res = await request(app).get('/stories/club');
  const body = res.text.slice(res.text.indexOf('<div class="story-body">'), res.text.indexOf('</article>'));
  assert.doesNotMatch(body, /<script>|<img src=x|href="javascript/);
  assert.match(body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.doesNotMatch(res.text, /尚未公开|embed-problem/);
});

test('schema.org JSON-LD parses: an Article citing its pages, about its tags; ArchiveComponent on documents and pages', async () => {
  const article = jsonLdOf((await request(app).get('/stories/club')).text);
  assert.equal(article['@type'], 'Article');
  assert.equal(article.headline, '工人俱乐部的露天电影');
  const citations = article.citation as Array<{ '@type': string; url: string }>;
  assert.deepEqual(citations.map((c) => c.url.replace(/^http:\/\/[^/]+/, '')), [`/documents/${docId}/pages/2`, `/documents/${docId}/pages/1`]);
  assert.deepEqual((article.about as Array<{ name: string }>).map((a) => a.name), ['石炭井', '俱乐部', '1960年代']);
  const doc = jsonLdOf((await request(app).get(`/documents/${docId}`)).text);
  assert.equal(doc['@type'], 'ArchiveComponent');
  assert.equal(doc.name, '石炭井印迹');
  const page = jsonLdOf((await request(app).get(`/documents/${docId}/pages/1`)).text);
  assert.equal(page['@type'], 'ArchiveComponent');
  assert.equal((page.isPartOf as { name: string }).name, '石炭井印迹');
});

test('a title holding </script> cannot end the JSON-LD element: it is escaped and still parses', async () => {
  const hostile = await story({ slug: 'hostile-title', title: '</script><script>alert(1)</script>“引号”', summary: '<b>粗体</b>' });
  try {
    const res = await request(app).get('/stories/hostile-title');
    assert.doesNotMatch(res.text, /<script>alert\(1\)/);
    const data = jsonLdOf(res.text);
    assert.equal(data.headline, '</script><script>alert(1)</script>“引号”');
    assert.match(res.text, /\\u003c\/script\\u003e/);
    assert.match(res.text, /<meta property="og:description" content="&lt;b&gt;粗体&lt;\/b&gt;">/);
  } finally {
    await deleteStory(t.archive, hostile, 'test');
  }
});

test('OpenGraph describes the story for link previews', async () => {
  const res = await request(app).get('/stories/club');
  assert.match(res.text, /<meta property="og:type" content="article">/);
  assert.match(res.text, /<meta property="og:title" content="工人俱乐部的露天电影">/);
  assert.match(res.text, /<meta property="og:description" content="石炭井矿区的夜晚">/);
  assert.match(res.text, /<meta property="og:url" content="http:\/\/127\.0\.0\.1:\d+\/stories\/club">/);
  assert.match(res.text, /<meta property="article:tag" content="俱乐部">/);
});

test('the story list filters by tag and era; drafts are never listed', async () => {
  const all = await request(app).get('/stories');
  for (const slug of ['club', 'rise', 'letter']) assert.match(all.text, new RegExp(`href="/stories/${slug}"`));
  assert.doesNotMatch(all.text, /secret-draft|未发布的矿区草稿/);
  assert.match(all.text, /<a href="\/stories" aria-current=page>故事<\/a>/, 'the site navigation marks where the reader is');
  const tagged = await request(app).get('/stories').query({ tag: '三线建设' });
  assert.match(tagged.text, /href="\/stories\/rise"/);
  assert.doesNotMatch(tagged.text, /href="\/stories\/club"/);
  const era = await request(app).get('/stories').query({ era: '1960年代' });
  assert.match(era.text, /href="\/stories\/club"/);
  assert.match(era.text, /href="\/stories\/letter"/);
  assert.doesNotMatch(era.text, /href="\/stories\/rise"/);
  assert.equal((await request(app).get('/stories/secret-draft')).status, 404);
});

test('related stories share tags; related pages are the story\'s citations; long stories show their reading time', async () => {
  const club = await request(app).get('/stories/club');
  const related = club.text.slice(club.text.indexOf('class="related-stories"'));
  assert.match(related, /href="\/stories\/rise"/);
  assert.doesNotMatch(related, /href="\/stories\/letter"/);
  const cited = club.text.slice(club.text.indexOf('class="cited-pages"'), club.text.indexOf('class="related-stories"'));
  assert.match(cited, new RegExp(`href="/documents/${docId}/pages/2"`));
  const rise = await request(app).get('/stories/rise');
  assert.match(rise.text, /约 4 分钟读完/, '1,600 Han characters (and a title) at 400 a minute');
});

test('a story written in traditional characters is marked zh-Hant', async () => {
  const res = await request(app).get('/stories/letter');
  assert.match(res.text, /<article class="story" lang="zh-Hant">/);
});

test('home page: featured stories beside the collections and the search box', async () => {
  const res = await request(app).get('/');
  assert.match(res.text, /专题故事/);
  assert.match(res.text, /href="\/stories\/club"/);
  assert.match(res.text, /name="q"/);
  assert.match(res.text, /石炭井印迹/);
  assert.doesNotMatch(res.text, /secret-draft/);
});

test('search shows matching stories beside page hits; a traditional query finds a simplified story; drafts stay hidden', async () => {
  const res = await request(app).get('/search').query({ q: '礦區' });
  assert.equal(res.status, 200);
  const block = res.text.slice(res.text.indexOf('class="story-hits"'), res.text.indexOf('<p class="total">'));
  assert.match(block, /href="\/stories\/rise">石炭井<mark>矿区<\/mark>的兴起<\/a>/);
  assert.doesNotMatch(res.text, /secret-draft/);
  const negative = await request(app).get('/search').query({ q: '矿区 -兴起' });
  assert.doesNotMatch(negative.text, /href="\/stories\/rise"/);
  const exact = await request(app).get('/search').query({ q: '大武口' });
  assert.doesNotMatch(exact.text, /href="\/stories\/near-miss"/, '大武 and 武口 and 大门口 apart are not 大武口');
  assert.match((await request(app).get('/search').query({ q: '武口镇' })).text, /href="\/stories\/near-miss"/);
  // Punctuation is not in the stories index: a query of it alone, or with it inside, is checked against the text.
  assert.doesNotMatch((await request(app).get('/search').query({ q: '《' })).text, /class="story-hits"/, 'no story holds 《');
  const comma = await request(app).get('/search').query({ q: '"，再"' });
  assert.match(comma.text, /href="\/stories\/near-miss"/);
  assert.doesNotMatch(comma.text, /href="\/stories\/(club|rise|letter)"/);
  const api = await request(app).get('/api/search').query({ q: '矿区' });
  assert.equal(api.status, 200);
  for (const k of ['query', 'total', 'page', 'size', 'hits', 'facets']) assert.ok(k in api.body, k);
});

test('sitemap lists published stories, documents and pages only', async () => {
  const res = await request(app).get('/sitemap.xml');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /application\/xml/);
  const locs = [...res.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace(/^http:\/\/[^/]+/, ''));
  assert.deepEqual(locs.sort(), ['/stories/club', '/stories/rise', '/stories/letter', '/stories/near-miss', `/documents/${docId}`, `/documents/${docId}/pages/1`, `/documents/${docId}/pages/2`].sort());
  const robots = await request(app).get('/robots.txt');
  assert.match(robots.text, /Disallow: \/staff/);
  assert.match(robots.text, /Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml/);
});

test('past the per-file limit the sitemap becomes an index of parts that together list every address once', async () => {
  const small = express().use(discoveryRouter(t.archive, { sitemapLimit: 4 }));
  const index = await request(small).get('/sitemap.xml');
  assert.match(index.text, /<sitemapindex /);
  const parts = [...index.text.matchAll(/<loc>[^<]*\/sitemap\.xml\?part=(\d+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(parts, ['1', '2']);
  const locs: string[] = [];
  for (const p of parts) locs.push(...[...(await request(small).get(`/sitemap.xml?part=${p}`)).text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!));
  assert.equal(locs.length, 7);
  assert.equal(new Set(locs).size, 7);
  assert.equal((await request(small).get('/sitemap.xml?part=3')).status, 404);
});

test('the Atom feed carries the published stories, escaped', async () => {
  const res = await request(app).get('/feed.atom');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /application\/atom\+xml/);
  const entries = [...res.text.matchAll(/<entry><id>([^<]+)<\/id><title>([^<]*)<\/title>/g)].map((m) => m[2]);
  assert.deepEqual(entries.sort(), ['一封家書', '山下的街', '工人俱乐部的露天电影', '石炭井矿区的兴起'].sort());
  assert.doesNotMatch(res.text, /<script>/, 'story HTML travels escaped inside <content type="html">');
  assert.match(res.text, /&lt;figure class=&quot;archive-embed&quot;&gt;/);
});
