/**
 * Searches where checking the candidates rejects more pages than the ranked request's slack: more
 * ranked hits must then be asked for — the hits after the first answer, or (past a limit) the ranked
 * hits again with the rejected pages left out by filter, or (past another) ever more hits. Each way
 * every result page is full and exact — with the candidates checked in memory, in worker threads or on
 * the caller's thread, and whichever comes in first of the first ranked answer and the candidate list.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSearchDeps } from '../../src/archive.ts';
import { createSearchTextWorkers, type SearchTextWorkers } from '../../src/catalogue/search-text-workers.ts';
import { createPageSearch, type PageSearch } from '../../src/search/page-search.ts';
import { pageSearchText } from '../../src/search/page-text.ts';
import { parseQuery, toMeiliQuery } from '../../src/search/query.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';

const FALSE_PAGES = 30;
const TRUE_PAGES = 230;

/**
 * A page that holds every four-character window of a term without the term. 石炭井矿务局 is a
 * chained term (its windows are exact phrases); 亲历、亲见 repeats a character inside a window, so
 * every candidate of it is checked.
 */
const FAKES: Record<string, string> = {
  石炭井矿务局: '石炭井矿区。炭井矿务局',
  '亲历、亲见': '亲历、亲历。历、亲见',
};

let t: TestArchive;
let continued: PageSearch;
/** Requests for the hits after a first answer, made by `continued`. */
let continuations = 0;
let withFilter: PageSearch;
let withoutFilter: PageSearch;
let workers: SearchTextWorkers;
let firstLate: PageSearch;
let firstEarly: PageSearch;

/** Ten clauses recombined, so that no line repeats from page to page (the cleaner drops running heads). */
const CLAUSES = ['矿工们下井前在灯房领矿灯', '食堂的馒头两分钱一个', '俱乐部每周放两场电影', '澡堂里的热水从不间断',
  '学校的孩子们在操场上做早操', '运煤的火车从大武口开来', '医院的大夫骑着自行车出诊', '冬天的风从贺兰山上吹下来',
  '邮电所门口排着寄信的长队', '文工团在礼堂排练新节目'];
function filler(i: number): string {
  return [0, 3, 7].map((k) => CLAUSES[(i * 3 + k) % CLAUSES.length]).join('，') + `，那是第${i}个年头。`;
}

function volume(term: string): string {
  // The fooling pages first: Meilisearch ranks equal pages in the order they were added, so they
  // fall inside the first ranked request and leave it short.
  const pages: string[] = [];
  for (let i = 1; i <= FALSE_PAGES; i++) pages.push(`${filler(i)}${FAKES[term]}。`);
  for (let i = 1; i <= TRUE_PAGES; i++) pages.push(`${filler(FALSE_PAGES + i)}${term}组织职工修建了澡堂。`);
  return pages.join('\f');
}

before(async () => {
  t = await createTestArchive();
  for (const [i, term] of Object.keys(FAKES).entries()) {
    const { job } = await ingestBytes(t.archive, Buffer.from(volume(term), 'utf8'), `volume-${i}.txt`, {
      collection: 'rejections', metadata: { title: `卷${i}`, date: String(1960 + i), type: '回忆录' },
    });
    assert.equal(job?.status, 'done', job?.error ?? '');
  }
  const { catalogue, engine } = t.archive;
  // Every candidate list goes to the worker threads here, however short, and none in the other.
  workers = createSearchTextWorkers(catalogue.pages, { path: catalogue.db.name, threads: 2, minCandidates: 1 });
  await t.archive.searchTexts.load();
  assert.equal(t.archive.searchTexts.stats().ready, true);
  const counting: typeof engine = { ...engine, async rankedPageIdsFrom(query) { continuations++; return engine.rankedPageIdsFrom(query); } };
  continued = createPageSearch(pageSearchDeps(catalogue, counting, workers, t.archive.searchTexts));
  withFilter = createPageSearch({ ...pageSearchDeps(catalogue, engine, workers), maxContinued: 0 });
  const inline = createSearchTextWorkers(catalogue.pages, { path: catalogue.db.name, threads: 0 });
  withoutFilter = createPageSearch({ ...pageSearchDeps(catalogue, engine, inline), maxContinued: 0, maxExcludedByFilter: 0 });
  // The real engine with one kind of request held back, so that either answer comes in first: the
  // first ranked answer (any without an exclusion filter), or the candidate list.
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const lateFirst: typeof engine = {
    ...engine,
    async searchPages(query) {
      if (!query.filter.some((f) => f.startsWith('id NOT IN'))) await sleep(300);
      return engine.searchPages(query);
    },
  };
  const lateList: typeof engine = { ...engine, async listPageIds(query) { await sleep(300); return engine.listPageIds(query); } };
  firstLate = createPageSearch(pageSearchDeps(catalogue, lateFirst, workers));
  firstEarly = createPageSearch(pageSearchDeps(catalogue, lateList, workers));
});
after(async () => {
  await workers.close();
  await t.close();
});

async function everyHit(search: PageSearch, q: string, size: number) {
  const keys: string[] = [];
  const pages: Array<{ total: number; hits: number; collection: Record<string, number> }> = [];
  for (let page = 1; ; page++) {
    const res = await search.searchPages({ q, page, size, sort: 'relevance', includeUnpublished: false });
    pages.push({ total: res.total, hits: res.hits.length, collection: res.facets.collection });
    for (const h of res.hits) {
      assert.match(h.snippet, /<mark>/, `${q}: every hit marks the term`);
      keys.push(`${h.documentId}:${h.pageNumber}`);
    }
    if (res.hits.length < size) return { keys, pages };
  }
}

for (const term of Object.keys(FAKES)) {
  test(`${term}: ${FALSE_PAGES} rejected candidates, every result page full and exact`, async () => {
    const truth = t.archive.catalogue.documents.list({ includeUnpublished: false, limit: 100 })
      .flatMap((d) => t.archive.catalogue.pages.listForDocument(d.id).filter((p) => pageSearchText(p).includes(term)).map((p) => `${d.id}:${p.number}`));
    assert.equal(truth.length, TRUE_PAGES);
    // The case under test: more fooling pages among the ranked request's 220 hits than its slack of 20.
    const ranked = await t.archive.engine.searchPages({ q: toMeiliQuery(parseQuery(term)), filter: ['published = true'], facets: [], offset: 0, limit: 220 });
    assert.ok(ranked.ids.filter((id) => id.pageNumber <= FALSE_PAGES).length > 20, 'the fooling pages come first in the engine\'s order');
    const searches = [['hits after the first answer, texts in memory', continued], ['filter, worker threads', withFilter], ['more hits, one thread', withoutFilter],
      ['the ranked answer in last', firstLate], ['the candidate list in last', firstEarly]] as const;
    for (const [label, search] of searches) {
      for (const size of [20, 100]) {
        const { keys, pages } = await everyHit(search, term, size);
        assert.deepEqual([...keys].sort(), [...truth].sort(), `${label}, size ${size}: exactly the pages holding ${term}`);
        assert.equal(new Set(keys).size, keys.length, `${label}, size ${size}: no page twice`);
        for (const p of pages) assert.equal(p.total, TRUE_PAGES, `${label}, size ${size}: total`);
        assert.deepEqual(pages[0]!.collection, { rejections: TRUE_PAGES }, `${label}: facet counts`);
        assert.equal(pages[0]!.hits, size, `${label}, size ${size}: the first result page is full`);
      }
    }
    assert.ok(continuations > 0, 'the hits after the first answer were asked for');
    continuations = 0;
  });
}
