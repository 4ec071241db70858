/**
 * What Meilisearch indexes of a page, and the phrases a query term becomes. Both are built from the
 * normalised text (normalize.ts), so page and query always agree.
 *
 * - `chars`: each distinct character of the page once (whitespace aside), hard separators between
 *   them, so that Meilisearch stores no word pairs for it (pairs are only kept below distance 8; a
 *   hard separator puts 8 positions between words). It answers one-character terms. Every
 *   character stands as its code word (character-codes.ts): punctuation and symbols (《, %, ·)
 *   because Meilisearch's tokenizer would drop them as such — a reader searching 《 finds it — and
 *   letters too, because plain ASCII words spare Meilisearch its Chinese segmenter and normaliser
 *   (10,000 pages: 84 against 94 CPU seconds with Chinese characters as themselves).
 * - `pairs`: every two neighbouring characters of the normalised text (punctuation included) as one
 *   ASCII word, the two characters' code words joined, so no Chinese segmenter (jieba) can re-cut it.
 *   A term of n ≥ 2 characters becomes the phrase of its n−1 pairs.
 *
 * Why pairs: Meilisearch resolves a phrase from word-pair proximities in windows of three words
 * (milli `compute_phrase_docids`): neighbours must stand at distance 1, the first and third within
 * distance 2 — each pair possibly at a different place on the page. With single characters that
 * makes 3-character phrases approximate (大武口 matched 大武…武口…大门口). With overlapping pairs,
 * words 1 and 3 at distance 2 pin down four consecutive characters; at distance 1 (ab·cd) they would
 * need b = c, and in reverse order (cd·ab, counted as proximity 2) d = a. So a phrase is exact for
 * terms of up to 3 characters, and for 4 characters abcd with b ≠ c and a ≠ d (`isExactWindow`);
 * longer terms are checked in the service (see `isExactTerm`, `isChainedTerm`).
 *
 * - `headChars`, `headPairs`: the same two kinds of words for the page's headline alone
 *   (`headlineFields`), listed first among the searchable attributes so that Meilisearch's
 *   `attribute` rule puts pages with the term in their headline before the others. The headline is
 *   also part of the page's text, so these fields never make a page match that would not otherwise:
 *   they only order the hits, which decides what the service re-ranks (page-search.ts).
 * - `branch`: the page's branching trigrams (filterable, not searchable; `branchValues`): three
 *   characters followed, or preceded, on the page by different characters. They bound where a longer
 *   term's phrase can be wrong (`isChainedTerm`), so that the service checks only those pages instead
 *   of every candidate.
 */

import { characterCode } from './character-codes.ts';

/** Meilisearch indexes at most 65,535 positions per attribute; a page's pairs are cut into fields below that. */
const PAIRS_PER_FIELD = 60_000;
/**
 * Neighbouring fields share this many pairs, so that any term up to the query length limit lies whole
 * inside one field (a phrase never spans two attributes).
 */
const FIELD_OVERLAP = 200;
/** Pair fields; enough for pages of about 480,000 characters, far beyond any printed page. */
export const PAIR_FIELDS = ['pairs', 'pairs2', 'pairs3', 'pairs4', 'pairs5', 'pairs6', 'pairs7', 'pairs8'] as const;
export type PairField = (typeof PAIR_FIELDS)[number];

const HARD_SEPARATOR = ' 。 ';

/** The pair words of a normalised text, in order (one fewer than its code points). */
export function pairWords(normalized: string): string[] {
  const out: string[] = [];
  let previous: string | null = null;
  for (const ch of normalized) {
    const word = characterCode(ch.codePointAt(0) ?? 0);
    if (previous !== null) out.push(previous + word);
    previous = word;
  }
  return out;
}

const WHITESPACE = /^\s$/u;

/**
 * The `chars` word of one character: its code word. That cannot equal a pair word (two codes: six
 * letters or more, and six only as two three-letter codes, which never start with `z` as a six-letter
 * code does), and prefix search is off. Whitespace has none: spaces separate query terms.
 */
function characterWord(cp: number): string | null {
  return WHITESPACE.test(String.fromCodePoint(cp)) ? null : characterCode(cp);
}

/**
 * The `chars` field: the distinct characters' words, hard-separated. Eight positions each, so up to
 * 8,191 distinct characters fit in the 65,535 positions of a field — printed pages use a few hundred.
 */
export function characterField(normalized: string): string {
  const words: string[] = [];
  for (const cp of numberCharacters(normalized).codes) {
    const word = characterWord(cp);
    if (word !== null) words.push(word);
  }
  return words.join(HARD_SEPARATOR);
}

/** numberCharacters' scratch tables: `bmpId[cp]` holds cp's number on the current page when `seenBmp[cp] === seenMark`. */
const seenBmp = new Uint32Array(0x10000);
const bmpId = new Int32Array(0x10000);
let seenMark = 0;

/**
 * A page's characters as small numbers 1…k in order of first appearance (`ids`, one per code point),
 * and the code point of each number (`codes[id - 1]`). Per-code-point tables make this a look-up per
 * character instead of a hash map's: it runs over every character of every page at indexing time.
 */
function numberCharacters(normalized: string): { ids: Int32Array; codes: number[] } {
  if (++seenMark === 0xffffffff) {
    seenBmp.fill(0);
    seenMark = 1;
  }
  const mark = seenMark;
  const astral = new Map<number, number>();
  const codes: number[] = [];
  const ids = new Int32Array(normalized.length);
  let n = 0;
  for (let i = 0; i < normalized.length; i++) {
    let cp = normalized.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < normalized.length) {
      const lo = normalized.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    let id: number;
    if (cp < 0x10000) {
      if (seenBmp[cp] !== mark) {
        seenBmp[cp] = mark;
        bmpId[cp] = codes.push(cp);
      }
      id = bmpId[cp]!;
    } else {
      id = astral.get(cp) ?? codes.push(cp);
      astral.set(cp, id);
    }
    ids[n++] = id;
  }
  return { ids: ids.subarray(0, n), codes };
}

/** The pair fields of a page: `pairs` and, for very long pages only, `pairs2`…, overlapping. */
export function pairFields(normalized: string): Partial<Record<PairField, string>> {
  const words = pairWords(normalized);
  const fields: Partial<Record<PairField, string>> = {};
  let start = 0;
  for (const field of PAIR_FIELDS) {
    if (start >= words.length && field !== 'pairs') break;
    fields[field] = words.slice(start, start + PAIRS_PER_FIELD).join(' ');
    start += PAIRS_PER_FIELD - FIELD_OVERLAP;
  }
  return fields;
}

/**
 * The headline fields of a page (see the module comment) from its normalised headline; none for a
 * page without one. A headline never nears a field's position limit; it is cut there all the same.
 */
export function headlineFields(normalizedHeadline: string): { headChars?: string; headPairs?: string } {
  const chars = characterField(normalizedHeadline);
  if (chars === '') return {};
  return { headChars: chars, headPairs: pairWords(normalizedHeadline).slice(0, PAIRS_PER_FIELD).join(' ') };
}

/** Code points of a term (a surrogate pair counts once). */
export function codePointLength(term: string): number {
  let n = 0;
  for (const _ of term) n++;
  return n;
}

/**
 * The Meilisearch phrase for a normalised term, without quotes: the character's `chars` word for one
 * character, the pair words otherwise. Empty when the term cannot be searched (no characters).
 */
export function termPhrase(term: string): string {
  return codePointLength(term) === 1 ? characterWord(term.codePointAt(0) ?? 0) ?? '' : pairWords(term).join(' ');
}

/**
 * Whether a phrase window (four characters, three pairs) matches exactly where the four characters
 * stand together: unless b = c or a = d, its first and third pair can only meet two apart.
 */
function isExactWindow(a: string, b: string, c: string, d: string): boolean {
  return b !== c && a !== d;
}

/**
 * Whether Meilisearch's phrase match is exact for this term (see the module comment): up to three
 * characters always (one: its `chars` word); four when its one window is exact.
 */
export function isExactTerm(term: string): boolean {
  const chars = [...term];
  if (chars.length === 1) return characterWord(term.codePointAt(0) ?? 0) !== null;
  if (chars.length <= 3) return true;
  return chars.length === 4 && isExactWindow(chars[0]!, chars[1]!, chars[2]!, chars[3]!);
}

/** Characters of one phrase window: its three pairs pin down this many consecutive characters. */
const WINDOW = 4;

/**
 * Whether a term longer than four characters is "chained": every window of four consecutive
 * characters is exact (`isExactWindow`). Then Meilisearch's phrase matches exactly the pages holding
 * every four-character window of the term, and such a page lacks the whole term only if the term's
 * inner trigrams (characters 2–4, 3–5, …: what neighbouring windows share) branch on it in a telling
 * order. An occurrence of a window continues into the next window when the trigram they share is
 * followed by one character only on the page, and into the previous one when the shared trigram is
 * preceded by one character only. So if, for some window, every inner trigram after it is followed
 * by one character only and every one up to it preceded by one character only, the window's
 * occurrence spells the whole term. A page lacking the term therefore has an inner trigram branching
 * left (preceded by different characters) at or before one branching right (`suspectBranches`). For
 * a chained term only the pages of the phrase's answer whose `branch` field shows such a pair are
 * checked — usually few.
 */
export function isChainedTerm(term: string): boolean {
  const chars = [...term];
  if (chars.length <= WINDOW) return false;
  for (let i = 0; i + WINDOW <= chars.length; i++) {
    if (!isExactWindow(chars[i]!, chars[i + 1]!, chars[i + 2]!, chars[i + 3]!)) return false;
  }
  return true;
}

/** Three code points as one `branch` word, like a pair word with a third character. */
const trigramWord = (a: number, b: number, c: number) => characterCode(a) + characterCode(b) + characterCode(c);

/** `branch` values: a trigram followed by different characters, and one preceded by different characters. */
const RIGHT = 'r';
const LEFT = 'l';

/**
 * The `branch` values of a chained term's inner trigrams, in the term's order: each as branching
 * right, and as branching left (the same position in both lists).
 */
export function innerBranches(term: string): { right: string[]; left: string[] } {
  const cps = [...term].map((ch) => ch.codePointAt(0) ?? 0);
  const words: string[] = [];
  for (let i = 1; i + WINDOW <= cps.length; i++) words.push(trigramWord(cps[i]!, cps[i + 1]!, cps[i + 2]!));
  return { right: words.map((w) => RIGHT + w), left: words.map((w) => LEFT + w) };
}

/**
 * What a page lacking a chained term yet holding all its windows must show in its `branch` values
 * (see `isChainedTerm`): for some inner trigram branching left (`left`), one at the same or a later
 * position branching right (one of `right`). A page is suspect when it holds both values of any entry.
 */
export function suspectBranches(term: string): Array<{ left: string; right: string[] }> {
  const { right, left } = innerBranches(term);
  return left.map((l, j) => ({ left: l, right: [...new Set(right.slice(j))] }));
}

/**
 * The page's branching trigrams (see `isChainedTerm`): `r…` for three characters followed on the page
 * by different characters, `l…` for three preceded by different characters (the edges of the text
 * counting as one character each).
 */
export function branchValues(normalized: string): string[] {
  // Characters as small per-page numbers, so that a trigram is one number.
  const { ids: chars, codes } = numberCharacters(normalized);
  const n = chars.length;
  if (n < 3) return [];
  const base = codes.length + 1; // 0 stands for the edge of the text
  // An open-addressing table of the page's trigrams (key: the three numbers as one, an exact double
  // up to 208,063 distinct characters on a page) with the neighbours first seen and whether others
  // came: typed arrays instead of Maps, as this runs at every position (3× faster).
  let size = 64;
  while (size < 2 * n) size *= 2;
  const slots = new Float64Array(size).fill(-1);
  const firstAfter = new Int32Array(size);
  const firstBefore = new Int32Array(size);
  const branches = new Uint8Array(size); // bit 1: followed by different characters; bit 2: preceded by
  const mask = size - 1;
  for (let i = 0; i + 3 <= n; i++) {
    const key = (chars[i]! * base + chars[i + 1]!) * base + chars[i + 2]!;
    const following = i + 3 < n ? chars[i + 3]! : 0;
    const preceding = i > 0 ? chars[i - 1]! : 0;
    let h = Math.imul((key % 0x7fffffff) | 0, 0x9e3779b1) >>> 0 & mask;
    while (slots[h] !== -1 && slots[h] !== key) h = (h + 1) & mask;
    if (slots[h] === -1) {
      slots[h] = key;
      firstAfter[h] = following;
      firstBefore[h] = preceding;
    } else {
      if (firstAfter[h] !== following) branches[h]! |= 1;
      if (firstBefore[h] !== preceding) branches[h]! |= 2;
    }
  }
  const word = (key: number) => {
    const c = key % base;
    const b = Math.floor(key / base) % base;
    const a = Math.floor(key / base / base);
    return trigramWord(codes[a - 1]!, codes[b - 1]!, codes[c - 1]!);
  };
  const right: string[] = [];
  const left: string[] = [];
  for (let h = 0; h < size; h++) {
    const bits = branches[h]!;
    if (bits === 0) continue;
    const w = word(slots[h]!);
    if (bits & 1) right.push(RIGHT + w);
    if (bits & 2) left.push(LEFT + w);
  }
  return [...right, ...left];
}
