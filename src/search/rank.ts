/**
 * Relevance for re-ranking candidates in the service: Meilisearch's ranking rules know nothing of
 * how often a phrase occurs on a page, and with one-character tokens its proximity rule says little.
 */
import { normalizeText } from './normalize.ts';
import { findMatches, type Match, type ParsedQuery } from './query.ts';

export interface RankInput {
  title: string;
  headline: string | null;
  /** The page text as printed (original, not normalised). */
  text: string;
}

/** Occurrences beyond this add nothing: keeps the tiers below from overflowing into each other. */
const MAX_OCCURRENCES = 9_999;
/** Positive terms counted at most (a query has at most 200 characters, hence fewer terms). */
const MAX_TERMS = 100;

/**
 * Smallest span of the normalised text holding at least one occurrence of every positive term
 * (minimum window over the matches sorted by start), or null when some term does not occur.
 * A window ends at its last-starting match: a longer term starting earlier could end later, but
 * this is a ranking signal and the sweep stays linear.
 */
function minimumWindow(matches: Match[], termCount: number): number | null {
  const inWindow = new Map<number, number>();
  let best: number | null = null;
  let left = 0;
  for (const r of matches) {
    inWindow.set(r.term, (inWindow.get(r.term) ?? 0) + 1);
    for (let l = matches[left]; l !== undefined && inWindow.size === termCount; l = matches[++left]) {
      const span = Math.max(r.end, l.end) - l.start;
      if (best === null || span < best) best = span;
      const remaining = (inWindow.get(l.term) ?? 1) - 1;
      if (remaining === 0) inWindow.delete(l.term);
      else inWindow.set(l.term, remaining);
    }
  }
  return best;
}

/**
 * Folded titles and headlines, remembered across queries: re-ranking folds the headline of each of
 * the 200 pages in its window (0.7 ms a search at 100,000 pages), and the first hits of common terms
 * are much the same pages from one query to the next. Folding is a pure function, so nothing goes
 * stale; the map is emptied when it grows past FOLDED_KEPT entries.
 */
const foldedCache = new Map<string, string>();
const FOLDED_KEPT = 50_000;

function foldedText(text: string): string {
  let f = foldedCache.get(text);
  if (f === undefined) {
    f = normalizeText(text).text;
    if (foldedCache.size >= FOLDED_KEPT) foldedCache.clear();
    foldedCache.set(text, f);
  }
  return f;
}

function termsIn(text: string | null, q: ParsedQuery): number {
  if (!text) return 0;
  const folded = foldedText(text);
  return q.positive.filter((t) => folded.includes(t.text)).length;
}

/**
 * `relevanceScore` for many pages of one query: the pages of a document share its title, so each
 * title is folded and searched once (a re-rank window holds a few dozen documents for 200 pages).
 */
export function relevanceScorer(q: ParsedQuery): (page: RankInput, normalized?: string | Buffer) => number {
  const titleTerms = new Map<string, number>();
  const inTitle = (title: string) => {
    let n = titleTerms.get(title);
    if (n === undefined) {
      n = termsIn(title, q);
      titleTerms.set(title, n);
    }
    return n;
  };
  return (page, normalized) => score(page, q, inTitle(page.title), normalized);
}

/**
 * Higher is better, compared lexicographically through tiers packed into one number:
 * 1. positive terms found in the document title, then in the page headline;
 * 2. occurrences of all positive terms on the page;
 * 3. closeness: the smallest stretch of text holding every term (1 when it is just the terms
 *    themselves, falling towards 0 as they stand further apart).
 * Equal pages score equally: sort with a stable sort so the engine's order breaks ties.
 * Pass `normalized` when the caller already has `page.text` normalised (e.g. the stored search text),
 * as a string or as its UTF-8 bytes (lengths are then measured in bytes, alike for every page).
 */
export function relevanceScore(page: RankInput, q: ParsedQuery, normalized?: string | Buffer): number {
  return score(page, q, termsIn(page.title, q), normalized);
}

function score(page: RankInput, q: ParsedQuery, titleTerms: number, normalized?: string | Buffer): number {
  const termCount = q.positive.length;
  if (termCount === 0) return 0;
  const text = normalized ?? normalizeText(page.text).text;
  const matches = findMatches(text, q);
  const occurrences = Math.min(matches.length, MAX_OCCURRENCES);
  const titleTier = Math.min(titleTerms, MAX_TERMS) * (MAX_TERMS + 1) + Math.min(termsIn(page.headline, q), MAX_TERMS);
  const window = minimumWindow(matches, termCount);
  const termLength = q.positive.reduce((sum, t) => sum + (typeof text === 'string' ? t.text.length : Buffer.byteLength(t.text)), 0);
  // What lies between the terms (0 when they stand side by side or overlap, as 石炭 and 炭井).
  const closeness = window === null ? 0 : 1 / (1 + Math.max(0, window - termLength));
  // closeness < 1, so it only orders pages equal in the tiers above.
  return titleTier * (MAX_OCCURRENCES + 1) + occurrences + closeness * 0.999;
}
