/**
 * The reader's query language (CONTRACT): space-separated terms must all occur, `"…"` is one exact
 * sequence (spaces inside ignored), `-term` / `-"…"` excludes. Parsed once, then turned into a
 * Meilisearch phrase query and, where Meilisearch can only approximate, checked against page text.
 */
import { isExactTerm, termPhrase } from './index-tokens.ts';
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

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

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
  // reader asked for the exact sequence, so it stays.
  if (!quoted) text = text.replace(EDGE_PUNCTUATION, '');
  // A term without a letter or digit cannot be searched (Meilisearch indexes none of it).
  if (!LETTER_OR_DIGIT.test(text)) return null;
  return { text, raw: raw.trim(), negated };
}

/**
 * Parse a reader's query. Empty terms (only spaces or punctuation) are dropped; an unclosed quote
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
    if (MINUS.has(ch) && next !== undefined && !SPACE.test(next)) {
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
 * The Meilisearch `q`: exact negations first as `-"…"` (Meilisearch ≥ 1.8 negative operator; put
 * first because Meilisearch stops reading the query at its 10th positive term and so drops any
 * negation after it — measured), then every positive term as a quoted phrase (index-tokens.ts).
 * Use with `matchingStrategy: 'all'`, typo tolerance off and prefix search disabled.
 * An empty string means "no text constraint" (placeholder search).
 */
export function toMeiliQuery(q: ParsedQuery): string {
  const negations = q.negative.filter(isExactNegation).map((t) => `-"${termPhrase(t.text)}"`);
  const phrases = positivePhrases(q).map((p) => `"${p}"`);
  return [...negations, ...phrases].join(' ');
}

/**
 * True when Meilisearch's answer may contain pages that do not really match, so the service must
 * check the candidates with `matchesText`: a positive term whose phrase is not exact (longer than
 * four characters, or four with a repeat), more than MEILI_MAX_QUERY_TERMS terms (the rest are
 * ignored), or a negated term Meilisearch cannot apply exactly (left out of `q`). When false,
 * Meilisearch's hits and total are exact.
 */
export function needsVerification(q: ParsedQuery): boolean {
  if (q.negative.some((t) => !isExactNegation(t))) return true;
  // Counted with the negations in q, to be safe whether Meilisearch counts those towards its limit.
  if (positivePhrases(q).length + q.negative.length > MEILI_MAX_QUERY_TERMS) return true;
  return q.positive.some((t) => !isExactTerm(t.text));
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
 * overlap, e.g. 石炭 and 炭井), sorted by start, then longer first.
 */
export function findMatches(normalizedText: string, q: ParsedQuery): Match[] {
  const matches: Match[] = [];
  q.positive.forEach((t, term) => {
    for (let at = normalizedText.indexOf(t.text); at !== -1; at = normalizedText.indexOf(t.text, at + t.text.length)) {
      matches.push({ start: at, end: at + t.text.length, term });
    }
  });
  return matches.sort((a, b) => a.start - b.start || b.end - a.end || a.term - b.term);
}
