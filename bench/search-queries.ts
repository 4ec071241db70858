/**
 * The benchmark's query mix, drawn from the corpus itself so that every kind has real hits:
 * substrings of 1–8 characters (as printed, so traditional pages give traditional queries), words,
 * quoted phrases, traditional forms, AND queries, negations, rare and very common terms; some with a
 * collection or year filter, some sorted by date. Also the exact answer for each, by substring
 * search over the normalised page text — the bench checks that the service's totals equal it.
 */
import { Converter } from 'opencc-js/cn2t';
import { normalizeText } from '../src/search/normalize.ts';
import { matchesText, parseQuery } from '../src/search/query.ts';
import { PLACES, RARE_SENTENCES, SHORT_UNITS, SURNAMES, GIVEN_NAMES, UNITS } from './corpus-seeds.ts';
import { seededRandom } from '../fixtures/build/seeded-random.ts';

export type QueryKind = 'substring' | 'word' | 'phrase' | 'traditional' | 'and' | 'negation' | 'rare' | 'common';

export interface BenchQuery {
  kind: QueryKind;
  q: string;
  collection?: string;
  yearFrom?: number;
  yearTo?: number;
  sort?: 'date';
}

/** What the truth needs of a page: its normalised search text and its document's filter values. */
export interface TruthPage { text: string; collection: string; year: number | null; yearTo: number | null; published: boolean }

const WORDS = [
  ...PLACES, ...UNITS, ...SHORT_UNITS, '三线建设', '政协', '文史资料', '矿务局', '劳动模范', '露天电影', '工人俱乐部', '口述',
  '提案', '票证', '百货大楼', '内迁', '斜井', '瓦斯', '家书', '太西煤', '工业遗址', '棚户区', '2024年', '247名', '247件',
];
const COMMON = ['的', '矿', '年', '石炭井', '大武口', '政协', '工人', '贺兰山', '矿区', '三线', '一', '在', '建设', '职工', '了'];
const COLLECTIONS = ['shitanjing-yinji', 'shizuishan-zhengxie', 'zhengxie-zhi', 'newspapers', 'sanxian', 'helanshan-dangan'];


/** A substring of 1–8 characters of a printed page, without line breaks (a reader copies from one line). */
function substringOf(rng: () => number, text: string, length: number): string {
  for (let tries = 0; tries < 20; tries++) {
    const at = Math.floor(rng() * Math.max(1, text.length - length));
    const s = text.slice(at, at + length);
    if (!/\s/.test(s) && /[\p{L}\p{N}]/u.test(s)) return s;
  }
  return text.slice(0, length);
}

/** About `count` queries (300 by default) in fixed proportions; deterministic for a seed. */
export function buildQuerySet(printedPages: string[], count = 300, seed = 7): BenchQuery[] {
  const rng = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const toTraditional = Converter({ from: 'cn', to: 't' });
  const share = (f: number) => Math.round(count * f);
  const out: BenchQuery[] = [];
  for (let i = 0; i < share(0.45); i++) out.push({ kind: 'substring', q: substringOf(rng, pick(printedPages), 1 + (i % 8)) });
  for (let i = 0; i < share(0.12); i++) out.push({ kind: 'word', q: pick(WORDS) });
  for (let i = 0; i < share(0.08); i++) out.push({ kind: 'phrase', q: `"${substringOf(rng, pick(printedPages), 4 + (i % 6))}"` });
  for (let i = 0; i < share(0.08); i++) out.push({ kind: 'traditional', q: toTraditional(pick(WORDS)) });
  for (let i = 0; i < share(0.1); i++) out.push({ kind: 'and', q: `${pick(WORDS)} ${i % 2 ? pick(SURNAMES) + pick(GIVEN_NAMES) : pick(WORDS)}` });
  for (let i = 0; i < share(0.07); i++) out.push({ kind: 'negation', q: `${pick(COMMON)} -${pick(WORDS)}` });
  for (let i = 0; i < share(0.05); i++) out.push({ kind: 'rare', q: substringOf(rng, pick(RARE_SENTENCES), 3 + (i % 5)) });
  for (let i = 0; i < share(0.05); i++) out.push({ kind: 'common', q: pick(COMMON) });
  // Filters and date order on every few queries, as a historian narrows a search.
  out.forEach((query, i) => {
    if (i % 7 === 3) query.collection = pick(COLLECTIONS);
    if (i % 11 === 5) {
      query.yearFrom = 1950 + Math.floor(rng() * 50);
      query.yearTo = query.yearFrom + 10 + Math.floor(rng() * 20);
    }
    if (i % 13 === 6) query.sort = 'date';
  });
  return out;
}

export function toTruthText(printed: string): string {
  return normalizeText(printed).text;
}

/** The exact number of visible pages matching a query: what `total` must be. */
export function truthCount(pages: TruthPage[], query: BenchQuery): number {
  const parsed = parseQuery(query.q);
  let n = 0;
  for (const p of pages) {
    if (!p.published) continue;
    if (query.collection !== undefined && p.collection !== query.collection) continue;
    if (query.yearFrom !== undefined && !((p.yearTo ?? p.year ?? -1) >= query.yearFrom)) continue;
    if (query.yearTo !== undefined && !(p.year !== null && p.year <= query.yearTo)) continue;
    if (matchesText(p.text, parsed)) n++;
  }
  return n;
}

export function searchParams(query: BenchQuery): URLSearchParams {
  const params = new URLSearchParams({ q: query.q });
  if (query.collection) params.set('collection', query.collection);
  if (query.yearFrom !== undefined) params.set('yearFrom', String(query.yearFrom));
  if (query.yearTo !== undefined) params.set('yearTo', String(query.yearTo));
  if (query.sort) params.set('sort', query.sort);
  return params;
}
