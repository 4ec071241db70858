/**
 * The reader's query language (CONTRACT): space-separated terms must all occur, `"…"` is one exact
 * sequence (spaces inside ignored), `-term` / `-"…"` excludes. Parsed once, then turned into a
 * Meilisearch phrase query and, where Meilisearch can only approximate, checked against page text.
 */
import { isChainedTerm, isExactTerm, termPhrase } from './index-tokens.ts';
import { foldQuery } from './normalize.ts';

export interface QueryTerm {
  /** Normalised (see normalize.ts); compared as a substring of a page's normalised text. */
  text: string;
  /** As typed (without quotes and minus), for display. */
  raw: string;
  negated: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  positive: QueryTerm[];
  negative: QueryTerm[];
}

/** Longer input is cut: a search box, not a document; it also keeps Meilisearch's 1,000-token query cap far away. */
export const MAX_QUERY_LENGTH = 200;

/** Meilisearch ignores every query term (a phrase counts as one) after the 10th (known limitations). */
export const MEILI_MAX_QUERY_TERMS = 10;

// Straight, full-width and curly double quotes: a Chinese input method types “ ” for ".
const QUOTES = new Set(['"', '＂', '“', '”', '„']);
// ASCII and full-width minus (Chinese input methods in full-width mode type －).
const MINUS = new Set(['-', '－']);
const SPACE = /\s/u;

const NOT_SPACE = /\S/u;
/**
 * What counts as typing noise at a term's edges: anything but letters, digits and private-use
 * characters — archives encode characters missing from Unicode (造字) in the private-use areas, so
 * those are text, not punctuation.
 */
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}\p{Co}]+|[^\p{L}\p{N}\p{Co}]+$/gu;

/** Cut to the limit without splitting a surrogate pair. */
function truncate(raw: string): string {
  if (raw.length <= MAX_QUERY_LENGTH) return raw;
  const cut = raw.slice(0, MAX_QUERY_LENGTH);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function makeTerm(raw: string, quoted: boolean, negated: boolean): QueryTerm | null {
  let text = foldQuery(raw);
  // Punctuation at the edges of an unquoted word is typing noise (石炭井，); inside quotes the
  // reader asked for the exact sequence, so it stays — as it does when it is all the word holds
  // (《, ——, %): the reader is looking for the mark itself, and every page is not the answer.
  if (!quoted) text = text.replace(EDGE_PUNCTUATION, '') || text;
  if (!NOT_SPACE.test(text)) return null;
  return { text, raw: raw.trim(), negated };
}

/**
 * Parse a reader's query. Empty terms (only spaces) are dropped; an unclosed quote
 * runs to the end of the input, as in Meilisearch; duplicate terms are kept once.
 */
export function parseQuery(raw: string): ParsedQuery {
  const input = [...truncate(raw)];
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    let negated = false;
    const next = input[i + 1];
    if (MINUS.has(ch) && (next === undefined || SPACE.test(next))) {
      i++; // a minus standing alone separates terms ("石炭井 - 矿"); it is neither an exclusion nor a term
      continue;
    }
    if (MINUS.has(ch)) {
      negated = true;
      i++;
    }
    let body = '';
    let quoted = false;
    if (QUOTES.has(input[i] ?? '')) {
      quoted = true;
      i++;
      while (i < input.length && !QUOTES.has(input[i] ?? '')) body += input[i++];
      i++; // the closing quote (or past the end)
    } else {
      while (i < input.length && !SPACE.test(input[i] ?? '') && !QUOTES.has(input[i] ?? '')) body += input[i++];
    }
    const term = makeTerm(body, quoted, negated);
    if (term === null) continue;
    const key = `${negated ? '-' : '+'}${term.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  return { terms, positive: terms.filter((t) => !t.negated), negative: terms.filter((t) => t.negated) };
}

/**
 * Whether Meilisearch may apply this negated term itself: only when its phrase match is exact.
 * Meilisearch removes every page its phrase check matches, so an approximate phrase would also
 * remove pages that do not contain the term — lost for good, since verification only ever sees what
 * Meilisearch returns. Other negations are applied by `matchesText` only.
 */
export function isExactNegation(term: QueryTerm): boolean {
  return isExactTerm(term.text);
}

function positivePhrases(q: ParsedQuery): string[] {
  return [...new Set(q.positive.map((t) => termPhrase(t.text)))];
}

/**
 * The Meilisearch `q`: negations first as `-"…"` (Meilisearch ≥ 1.8 negative operator; put first
 * because Meilisearch stops reading the query at its 10th positive term and so drops any negation
 * after it — measured), then every positive term as a quoted phrase (index-tokens.ts). Use with
 * `matchingStrategy: 'all'`, typo tolerance off and prefix search disabled. An empty string means
 * "no text constraint" (placeholder search).
 *
 * Negations Meilisearch cannot apply exactly are left out unless `chainedNegations` is set (the
 * chained plan, which finds the pages they wrongly remove; see `planQuery`): Meilisearch removes
 * every page its phrase matches, and an approximate phrase would also remove pages that do not
 * contain the term.
 */
export function toMeiliQuery(q: ParsedQuery, opts: { chainedNegations?: boolean } = {}): string {
  const negations = q.negative
    .filter((t) => isExactNegation(t) || (opts.chainedNegations === true && isChainedTerm(t.text)))
    .map((t) => `-"${termPhrase(t.text)}"`);
  const phrases = positivePhrases(q).map((p) => `"${p}"`);
  return [...negations, ...phrases].join(' ');
}

/**
 * How a query gets its exact answer:
 * - `exact`: Meilisearch's phrases are exact for every term; its hits, total and facets are the answer.
 * - `chained`: the only inexact terms are chained (index-tokens.ts `isChainedTerm`); Meilisearch
 *   answers, and only the pages whose `branch` field holds one of those terms' inner trigrams are
 *   checked in the service (few, whatever the number of hits).
 * - `verify-all`: every candidate is listed and checked (four characters with a repeat, terms with
 *   repeats inside a window, or more than MEILI_MAX_QUERY_TERMS terms, the rest of which Meilisearch ignores).
 */
export type QueryPlan = 'exact' | 'chained' | 'verify-all';

export function planQuery(q: ParsedQuery): QueryPlan {
  // Counted with the negations in q, to be safe whether Meilisearch counts those towards its limit.
  if (positivePhrases(q).length + q.negative.length > MEILI_MAX_QUERY_TERMS) return 'verify-all';
  const inexact = q.terms.filter((t) => !isExactTerm(t.text));
  if (inexact.length === 0) return 'exact';
  return inexact.every((t) => isChainedTerm(t.text)) ? 'chained' : 'verify-all';
}

/** True when Meilisearch's answer alone may be wrong (any plan but `exact`). */
export function needsVerification(q: ParsedQuery): boolean {
  return planQuery(q) !== 'exact';
}

/** The chained terms of a query, by sign. */
export function chainedTerms(q: ParsedQuery): { positive: QueryTerm[]; negative: QueryTerm[] } {
  const chained = (t: QueryTerm) => isChainedTerm(t.text); // longer than four characters, so never exact as it is
  return { positive: q.positive.filter(chained), negative: q.negative.filter(chained) };
}

/** The query with `term` counted as a positive term and without the given negations. */
export function withTermPositive(q: ParsedQuery, term: QueryTerm, dropNegations: QueryTerm[]): ParsedQuery {
  const positive = [...q.positive, { ...term, negated: false }];
  const negative = q.negative.filter((t) => t !== term && !dropNegations.includes(t));
  return { terms: [...positive, ...negative], positive, negative };
}

/** Whether a page (its normalised text) matches: every positive term occurs, no negative one does. */
export function matchesText(normalizedText: string, q: ParsedQuery): boolean {
  for (const t of q.positive) if (!normalizedText.includes(t.text)) return false;
  for (const t of q.negative) if (normalizedText.includes(t.text)) return false;
  return true;
}

export interface Match {
  /** Offsets in the normalised text, end exclusive. */
  start: number;
  end: number;
  /** Index into `q.positive`. */
  term: number;
}

/**
 * All occurrences of each positive term (non-overlapping within a term; different terms may
 * overlap, e.g. 石炭 and 炭井), sorted by start, then longer first. The text may be given as its
 * UTF-8 bytes: offsets are then byte offsets (UTF-8 is self-synchronising, so a byte match is a
 * character match).
 */
export function findMatches(normalizedText: string | Buffer, q: ParsedQuery): Match[] {
  const matches: Match[] = [];
  q.positive.forEach((t, term) => {
    if (typeof normalizedText === 'string') {
      for (let at = normalizedText.indexOf(t.text); at !== -1; at = normalizedText.indexOf(t.text, at + t.text.length)) {
        matches.push({ start: at, end: at + t.text.length, term });
      }
      return;
    }
    const needle = Buffer.from(t.text, 'utf8');
    for (let at = normalizedText.indexOf(needle); at !== -1; at = normalizedText.indexOf(needle, at + needle.length)) {
      matches.push({ start: at, end: at + needle.length, term });
    }
  });
  return matches.sort((a, b) => a.start - b.start || b.end - a.end || a.term - b.term);
}
