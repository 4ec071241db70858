import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText } from '../../src/search/normalize.ts';
import { parseQuery } from '../../src/search/query.ts';
import { relevanceScore, relevanceScorer, type RankInput } from '../../src/search/rank.ts';

const page = (text: string, title = '文集', headline: string | null = null): RankInput => ({ title, headline, text });

function order(pages: Record<string, RankInput>, raw: string): string[] {
  const q = parseQuery(raw);
  // Stable sort: equal scores keep the input order.
  return Object.entries(pages)
    .map(([name, p]) => ({ name, s: relevanceScore(p, q) }))
    .sort((a, b) => b.s - a.s)
    .map((x) => x.name);
}

test('the query in the title ranks first, then in the headline', () => {
  const pages = {
    body: page('石炭井石炭井石炭井'),
    headline: page('石炭井', '文集', '石炭井的煤'),
    title: page('石炭井', '石炭井印迹'),
  };
  assert.deepEqual(order(pages, '石炭井'), ['title', 'headline', 'body']);
});

test('title matches fold scripts too', () => {
  const q = parseQuery('印迹');
  assert.ok(relevanceScore(page('印迹', '石炭井印跡'), q) > relevanceScore(page('印迹印迹'), q));
});

test('more occurrences rank higher', () => {
  const pages = { once: page('石炭井在北'), thrice: page('石炭井，石炭井，石炭井'), twice: page('石炭井和石炭井') };
  assert.deepEqual(order(pages, '石炭井'), ['thrice', 'twice', 'once']);
});

test('with equal occurrences, terms standing close together rank higher', () => {
  const pages = {
    far: page(`石炭井${'文'.repeat(50)}矿区`),
    near: page('石炭井矿区'),
    middle: page(`石炭井${'文'.repeat(5)}矿区`),
  };
  assert.deepEqual(order(pages, '石炭井 矿区'), ['near', 'middle', 'far']);
});

test('occurrences outweigh closeness', () => {
  const pages = { close: page('石炭井矿区'), many: page(`石炭井${'文'.repeat(80)}矿区，矿区`) };
  assert.deepEqual(order(pages, '石炭井 矿区'), ['many', 'close']);
});

test('equal pages score equally, so a stable sort keeps the engine order', () => {
  const q = parseQuery('石炭井');
  assert.equal(relevanceScore(page('石炭井'), q), relevanceScore(page('石炭井。'), q));
  assert.deepEqual(order({ a: page('石炭井'), b: page('石炭井'), c: page('石炭井') }, '石炭井'), ['a', 'b', 'c']);
});

test('a query without positive terms scores 0; a precomputed normalisation gives the same score', () => {
  assert.equal(relevanceScore(page('石炭井'), parseQuery('-政协')), 0);
  const p = page('石炭井 矿区 石炭井');
  const q = parseQuery('石炭井 矿区');
  assert.equal(relevanceScore(p, q, normalizeText(p.text).text), relevanceScore(p, q));
});

test('scores are finite numbers on large pages', () => {
  const big = page('石炭井矿区'.repeat(20_000), '石炭井矿区', '石炭井矿区');
  const s = relevanceScore(big, parseQuery('石炭井 矿区'));
  assert.ok(Number.isFinite(s) && s > 0);
});

test('ranking on the stored bytes counts the same occurrences as on the text', () => {
  const q = parseQuery('石炭井 矿区');
  const p = page('石炭井矿区的石炭井，矿区以北，石炭井。');
  const text = normalizeText(p.text).text;
  assert.equal(Math.floor(relevanceScore(p, q, Buffer.from(text, 'utf8'))), Math.floor(relevanceScore(p, q, text)));
  assert.equal(Math.floor(relevanceScore(p, q, text)), 5);
});

test('the scorer for many pages of one query scores each page as relevanceScore does', () => {
  const q = parseQuery('石炭井 矿区');
  const scorer = relevanceScorer(q);
  const pages: RankInput[] = [
    { title: '石炭井印迹', headline: null, text: '石炭井矿区的故事，矿区生活' },
    { title: '石炭井印迹', headline: '矿区', text: '矿区在石炭井' },
    { title: '贺兰山志', headline: null, text: '石炭井 矿区' },
    { title: '贺兰山志', headline: null, text: '无关' },
  ];
  for (const p of pages) assert.equal(scorer(p), relevanceScore(p, q));
  assert.ok(scorer(pages[0]!) > scorer(pages[2]!), 'a title holding a term ranks first');
});
