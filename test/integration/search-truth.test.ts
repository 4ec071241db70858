/**
 * Search against the truth: a few hundred generated pages (bench/corpus.ts), the fixture texts and
 * the demo collection, ingested through the real pipeline; for every query the exact set of pages
 * that contain it — substring search on each page's normalised text, written here independently of
 * the query parser — must be what /api/search returns: recall 1.0, precision 1.0, total equal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { generateDocuments } from '../../bench/corpus.ts';
import { pageSearchDeps } from '../../src/archive.ts';
import { createSearchTextWorkers } from '../../src/catalogue/search-text-workers.ts';
import { createPageSearch } from '../../src/search/page-search.ts';
import { foldQuery, normalizeText } from '../../src/search/normalize.ts';
import { pageSearchText } from '../../src/search/page-text.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';

/** A query as typed, with the strings a page must and must not contain (as written; folded below). */
interface Case { q: string; must: string[]; not?: string[] }

const Q = (q: string, must: string[], not: string[] = []): Case => ({ q, must, not });
const word = (w: string): Case => Q(w, [w]);

const CASES: Case[] = [
  // substrings of 1–8 characters, fragments of longer words
  ...['矿', '井', '石', '7', '炭井', '武口', '兰山', '线建', '口区', '矿区', '俱乐', '政协', '建设者', '大武口', '石炭井', '贺兰山', '白芨沟',
    '汝箕沟', '大武口区', '口区政协', '三线建设', '露天电影', '文史资料', '工人俱乐部', '石炭井矿务局', '大武口区政协', '矿区的第一口水井',
    '一斤猪肉七毛八分', '好人好马上三线'].map(word),
  // numbers, Latin letters and full-width forms
  ...['2024年', '247名', '247件', '1958年', '1966', '753000', 'PDF电子版'].map(word),
  Q('２０２４年', ['2024年']), Q('ｐｄｆ', ['pdf']),
  // punctuation inside a term (quoted or not), punctuation at the edges (dropped when unquoted)
  Q('"先生产，后生活"', ['先生产，后生活']), Q('亲历、亲见', ['亲历、亲见']), Q('"（一）"', ['（一）']), Q('"《石炭井印迹》"', ['《石炭井印迹》']),
  Q('石炭井，', ['石炭井']), Q('“好人好马上三线”', ['好人好马上三线']), Q('斯大林-100型', ['斯大林-100型']), Q('"1958年、1966年"', ['1958年、1966年']),
  // punctuation and symbols alone: the marks themselves, not every page
  word('《'), word('、'), word('——'), word('·'), word('%'), word('😀'), word('。，'), word('》。'), Q('"，"', ['，']),
  Q('石炭井 《', ['石炭井', '《']), Q('石炭井 -、', ['石炭井'], ['、']), Q('-《 矿', ['矿'], ['《']),
  // traditional forms find simplified text and the reverse
  Q('礦', ['矿']), Q('印跡', ['印迹']), Q('礦務局', ['矿务局']), Q('賀蘭山', ['贺兰山']), Q('三線建設', ['三线建设']), Q('職工', ['职工']),
  Q('電影', ['电影']), Q('政協委員', ['政协委员']), Q('矿务局', ['矿务局']), Q('电影院', ['电影院']),
  // repeated characters (the pairs overlap) and spaces inside a word
  word('清清楚楚'), word('人山人海'), word('常常'), Q('大武 口', ['大武', '口']), Q('"大武 口区"', ['大武口区']),
  // AND, phrases, exclusions
  Q('石炭井 工人', ['石炭井', '工人']), Q('贺兰山 煤 矿区', ['贺兰山', '煤', '矿区']), Q('政协 提案 2024年', ['政协', '提案', '2024年']),
  Q('"大武口区政协" 石炭井印迹', ['大武口区政协', '石炭井印迹']), Q('石炭井 -大武口', ['石炭井'], ['大武口']),
  Q('矿 -矿务局', ['矿'], ['矿务局']), Q('政协 -"大武口区政协"', ['政协'], ['大武口区政协']), Q('三线 -三线建设者', ['三线'], ['三线建设者']),
  Q('-石炭井 大武口', ['大武口'], ['石炭井']), Q('工人 －礦區', ['工人'], ['矿区']),
  // many terms: Meilisearch reads only ten; the rest must still be checked
  Q('石炭井 大武口 贺兰山 三线 政协', ['石炭井', '大武口', '贺兰山', '三线', '政协']),
  Q('石炭井 大武口 贺兰山 矿务局 俱乐部 文史资 工人', ['石炭井', '大武口', '贺兰山', '矿务局', '俱乐部', '文史资', '工人']),
  Q('矿 井 石 炭 工 人 政 协 山 口 年', ['矿', '井', '石', '炭', '工', '人', '政', '协', '山', '口', '年']),
  // rare, absent, and the traps that fool character phrases (see the trap document below)
  word('西夏文'), word('大观通宝'), word('飞跃'), word('石炭井石炭井石炭井'), word('大武口关'),
  word('大门口'), word('的用户账'), word('哈哈哈哈'), word('哈哈哈'), word('炭石井'), word('石炭石炭'), word('炭石炭'),
  // chained terms (see CHAIN_TRAP): every four-character window occurs, the term does not
  Q('矿 -石炭井矿务局', ['矿'], ['石炭井矿务局']), Q('区政 -大武口区政协', ['区政'], ['大武口区政协']),
  Q('大武口区政协 -"石炭井矿务局"', ['大武口区政协'], ['石炭井矿务局']), word('口区政协常委'), word('井矿务局'),
  // characters with longer code words, alone and beside common ones
  word('𠮷野家'), word('龘'), word('䶮与龘'), word('字，䶮'), word('\u{F0041}记'), word('龘字'), word('的龘'),
];

/** Pages that fool approximate phrase matching: every pair of 大武口 occurs, but never the three together, etc. */
const TRAP = '大武，武口，大门口。的用户，用户账。哈哈哈。石炭。炭井。石井。石炭石。炭石炭。';
/**
 * A page that fools phrases of longer terms: 石炭井矿, 炭井矿务 and 井矿务局 all occur, 石炭井矿务局
 * does not (likewise 大武口区政协). Only its branching trigrams (炭井矿 goes on as 区 and 务) give it away.
 */
const CHAIN_TRAP = '石炭井矿区。炭井矿务局。大武口区政府，武口区政协常委。';
/**
 * Characters outside the index's three-letter codes (character-codes.ts): CJK extensions A and B, the
 * end of the main CJK block, a private-use character of plane 15 — four-, five- and six-letter codes.
 */
const RARE_CHARACTERS = '𠮷野家的龘字，䶮与龘。\u{F0041}记';

interface TruthPage { key: string; documentId: string; printed: string; text: string; collection: string; year: number | null; yearTo: number | null; type: string }

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let truthPages: TruthPage[] = [];

const fold = (s: string) => foldQuery(s);
const contains = (page: TruthPage, c: Case) => c.must.every((m) => page.text.includes(fold(m))) && (c.not ?? []).every((n) => !page.text.includes(fold(n)));

/** Every page of every result page for a query, as `documentId:pageNumber`, with the reported total. */
async function allHits(params: Record<string, string | number>): Promise<{ total: number; keys: string[]; hits: Array<Record<string, unknown>> }> {
  const keys: string[] = [];
  const hits: Array<Record<string, unknown>> = [];
  let total = -1;
  for (let page = 1; ; page++) {
    const res = await request(app).get('/api/search').query({ ...params, size: 100, page });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    total = res.body.total;
    for (const h of res.body.hits) {
      keys.push(`${h.documentId}:${h.pageNumber}`);
      hits.push(h);
    }
    if (res.body.hits.length < 100 || keys.length >= total) break;
  }
  return { total, keys, hits };
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const ingest = async (bytes: Buffer, name: string, options: Parameters<typeof ingestBytes>[3]) => {
    const { job } = await ingestBytes(t.archive, bytes, name, options);
    assert.equal(job?.status, 'done', `${name}: ${job?.error ?? ''}`);
  };
  let index = 0;
  for (const doc of generateDocuments({ pages: 240, seed: 11, maxDocumentPages: 24 })) {
    const text = doc.pages.map((p) => (p.headline ? `${p.headline}\n\n${p.text}` : p.text)).join('\f');
    await ingest(Buffer.from(text, 'utf8'), doc.fileName, {
      collection: doc.collection.slug, collectionTitle: doc.collection.title,
      metadata: { title: doc.title, date: doc.date, type: doc.type }, publish: index++ !== 1 && doc.published,
    });
  }
  await ingest(Buffer.from(TRAP, 'utf8'), 'trap.txt', { collection: 'traps', metadata: { title: '陷阱', date: '2000', type: '测试' } });
  await ingest(Buffer.from(CHAIN_TRAP, 'utf8'), 'chain-trap.txt', { collection: 'traps', metadata: { title: '长词陷阱', date: '2001', type: '测试' } });
  await ingest(Buffer.from(RARE_CHARACTERS, 'utf8'), 'rare.txt', { collection: 'traps', metadata: { title: '生僻字', date: '2002', type: '测试' } });
  for (const name of fs.readdirSync(path.join(FIXTURES, 'text')).filter((f) => !f.endsWith('.expected.txt'))) {
    await ingest(fs.readFileSync(path.join(FIXTURES, 'text', name)), name, { collection: 'transcriptions', metadata: { date: '1985年', type: '录入本' } });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'demo', 'manifest.json'), 'utf8')) as {
    documents: Array<{ file: string; collection: string; collectionTitle: string; metadata: Record<string, string> }>;
  };
  for (const d of manifest.documents) {
    await ingest(fs.readFileSync(path.join(FIXTURES, 'demo', d.file)), d.file, { collection: d.collection, collectionTitle: d.collectionTitle, metadata: d.metadata });
  }
  const { catalogue } = t.archive;
  for (const doc of catalogue.documents.list({ includeUnpublished: false, limit: 10_000 })) {
    for (const page of catalogue.pages.listForDocument(doc.id)) {
      truthPages.push({
        key: `${doc.id}:${page.number}`, documentId: doc.id, printed: pageSearchText(page), text: normalizeText(pageSearchText(page)).text,
        collection: doc.collection?.slug ?? '', year: doc.yearFrom, yearTo: doc.yearTo ?? doc.yearFrom, type: doc.metadata.type,
      });
    }
  }
});
after(async () => { await t.close(); });

test('the archive under test is large and varied enough for the truth to mean something', () => {
  assert.ok(truthPages.length >= 200, `${truthPages.length} visible pages`);
  const withHits = CASES.filter((c) => truthPages.some((p) => contains(p, c)));
  assert.ok(CASES.length >= 60 && withHits.length >= 55, `${withHits.length} of ${CASES.length} queries have pages to find`);
  assert.ok(truthPages.filter((p) => contains(p, Q('大武口', ['大武口']))).length > 20);
  assert.ok(truthPages.some((p) => p.printed.includes('礦') && p.text.includes('矿')), 'some pages are printed in traditional characters');
});

/** The cases whose answer through /api/search is not exactly the truth. */
async function wrongAnswers(): Promise<string[]> {
  const wrong: string[] = [];
  for (const c of CASES) {
    const expected = truthPages.filter((p) => contains(p, c)).map((p) => p.key).sort();
    const { total, keys } = await allHits({ q: c.q });
    const got = [...keys].sort();
    const missing = expected.filter((k) => !got.includes(k));
    const extra = got.filter((k) => !expected.includes(k));
    if (total !== expected.length || missing.length > 0 || extra.length > 0 || new Set(got).size !== got.length) {
      wrong.push(`${c.q}: total ${total}, expected ${expected.length}; missing ${missing.slice(0, 3).join(' ')}; extra ${extra.slice(0, 3).join(' ')}`);
    }
  }
  return wrong;
}

test('every query returns exactly the pages that contain it: recall 1.0, precision 1.0, exact total', async () => {
  await t.archive.searchTexts.load();
  assert.equal(t.archive.searchTexts.stats().ready, true, 'the search texts are held in memory');
  assert.deepEqual(await wrongAnswers(), []);
});

test('the same exact answers when the search texts are read from the catalogue instead of memory', async () => {
  const { catalogue, engine } = t.archive;
  const workers = createSearchTextWorkers(catalogue.pages, { path: catalogue.db.name, minCandidates: 10 });
  const held = t.archive.search;
  t.archive.search = createPageSearch(pageSearchDeps(catalogue, engine, workers));
  try {
    assert.deepEqual(await wrongAnswers(), []);
  } finally {
    t.archive.search = held;
    await workers.close();
  }
});

test('filters by collection, year range and type, and date order, keep results exact', async () => {
  const queries = ['石炭井', '大武口区政协', '矿 -矿务局', '礦', '2024年', '三线建设'].map((q) => CASES.find((c) => c.q === q)!);
  const filters: Array<{ params: Record<string, string | number>; keep: (p: TruthPage) => boolean }> = [
    { params: { collection: 'sanxian' }, keep: (p) => p.collection === 'sanxian' },
    { params: { collection: 'shitanjing-yinji' }, keep: (p) => p.collection === 'shitanjing-yinji' },
    { params: { yearFrom: 1970, yearTo: 1999 }, keep: (p) => (p.yearTo ?? -1) >= 1970 && p.year !== null && p.year <= 1999 },
    { params: { yearFrom: 2000 }, keep: (p) => (p.yearTo ?? -1) >= 2000 },
    { params: { type: '回忆录' }, keep: (p) => p.type === '回忆录' },
  ];
  let nonEmpty = 0;
  for (const c of queries) {
    for (const f of filters) {
      const expected = truthPages.filter((p) => f.keep(p) && contains(p, c)).map((p) => p.key).sort();
      const { total, keys } = await allHits({ q: c.q, ...f.params });
      assert.equal(total, expected.length, `${c.q} ${JSON.stringify(f.params)}`);
      assert.deepEqual([...keys].sort(), expected, `${c.q} ${JSON.stringify(f.params)}`);
      if (expected.length > 0) nonEmpty++;
    }
    const dated = await allHits({ q: c.q, sort: 'date' });
    const years = dated.keys.map((k) => truthPages.find((p) => p.key === k)?.year ?? Number.MAX_SAFE_INTEGER);
    assert.deepEqual(years, [...years].sort((a, b) => a - b), `${c.q} sorted by date`);
    assert.equal(dated.total, truthPages.filter((p) => contains(p, c)).length);
  }
  assert.ok(nonEmpty >= 20, `${nonEmpty} filtered queries with hits`);
});

test('facet counts are exact', async () => {
  for (const q of ['大武口区政协', '煤', '石炭井 -大武口', '矿 -石炭井矿务局', '石炭井矿务局']) {
    const c = CASES.find((x) => x.q === q) ?? word(q);
    const res = await request(app).get('/api/search').query({ q });
    const expected: Record<string, number> = {};
    for (const p of truthPages.filter((p) => contains(p, c))) if (p.collection) expected[p.collection] = (expected[p.collection] ?? 0) + 1;
    assert.deepEqual(res.body.facets.collection, expected, q);
  }
});

test('group=document: each document with its number of matching pages and occurrences', async () => {
  const countOccurrences = (text: string, term: string) => {
    let n = 0;
    for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) n++;
    return n;
  };
  for (const q of ['石炭井', '大武口区政协', '礦', '矿区的第一口水井']) {
    const term = fold(CASES.find((c) => c.q === q)!.must[0]!);
    const expected = new Map<string, { pages: number; occurrences: number }>();
    for (const p of truthPages.filter((p) => p.text.includes(term))) {
      const e = expected.get(p.documentId) ?? { pages: 0, occurrences: 0 };
      e.pages++;
      e.occurrences += countOccurrences(p.text, term);
      expected.set(p.documentId, e);
    }
    const res = await request(app).get('/api/search').query({ q, group: 'document', size: 100 });
    assert.equal(res.body.total, expected.size, q);
    assert.ok(res.body.hits.length > 0, q);
    const pagesInOrder: number[] = res.body.hits.map((h: { pages: number }) => h.pages);
    assert.deepEqual(pagesInOrder, [...pagesInOrder].sort((a, b) => b - a), `${q}: most matching pages first`);
    for (const h of res.body.hits as Array<{ documentId: string; pages: number; occurrences: number }>) {
      assert.deepEqual({ pages: h.pages, occurrences: h.occurrences }, expected.get(h.documentId), `${q} in ${h.documentId}`);
    }
  }
});

test('hits show the match in the characters as printed, also across scripts', async () => {
  const res = await request(app).get('/api/search').query({ q: '礦務局', size: 100 });
  const snippets: string[] = res.body.hits.map((h: { snippet: string }) => h.snippet);
  assert.ok(snippets.some((s) => s.includes('<mark>矿务局</mark>')));
  assert.ok(snippets.every((s) => /<mark>(矿务局|礦務局)<\/mark>/.test(s)), 'every hit marks the term');
});
