/**
 * The one normalisation used at index time and at query time, so that a query and a page compare
 * character by character: 礦 finds 矿, ＰＤＦ finds pdf, 石 炭 井 finds 石炭井.
 *
 * It works per character (code point) and never reorders, so every normalised character can be
 * traced back to where it was printed: `map` lets snippets and page highlights mark the original text.
 */
import { Converter } from 'opencc-js/t2cn';

export interface NormalizedText {
  /** The folded text; UTF-16 indexed like any JS string. */
  text: string;
  /**
   * `map[i]` is the UTF-16 index in the original where the character behind normalised unit `i`
   * starts (both units of a surrogate pair map to the same start). `map.length === text.length + 1`
   * and the last entry is `original.length`, so `map[end]` is a valid exclusive bound. A typed
   * array: search keeps the folding of the pages it shows, and an array of numbers was copied by
   * every young-generation garbage collection while it lived (8 bytes a character, against 4 here,
   * held outside the collected heap).
   */
  map: Int32Array;
}

/** Folding result meaning "remove this character" (whitespace, controls, combining marks). */
const DROP = -1;
/** Table slot not computed yet. */
const UNKNOWN = -2;

/**
 * Characters a reader does not see as content: all whitespace (a search ignores spaces and line
 * breaks, which OCR and PDF extraction put in arbitrary places), controls, format characters
 * (zero-width space, soft hyphen, BOM, bidi marks) and combining marks (accents, and the variation
 * selectors that pick glyph variants of Han characters), so that accented and decomposed forms fold
 * to the same letters.
 */
const IGNORABLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{M}]$/u;
const MARKS = /\p{M}/gu;

/**
 * Characters where OpenCC's Taiwan variant table would merge two characters that simplified
 * Chinese keeps apart: 么 (什么) would become 幺, and 著 (著作) would become 着.
 */
const TW_VARIANT_EXCEPTIONS = new Set(['么', '著']);

type ConvertFn = (text: string) => string;
interface HanConverters { t: ConvertFn; hk: ConvertFn; tw: ConvertFn }

/**
 * Memo tables of a pure function (code point → folded code point), not application state: they
 * make normalisation a table look-up per character after warm-up, which is what lets 100,000
 * pages be normalised quickly. A typed array covers the BMP (all common Han characters).
 */
const bmpFold = new Int32Array(0x10000).fill(UNKNOWN);
const astralFold = new Map<number, number>();
let converters: HanConverters | null = null;

function hanConverters(): HanConverters {
  // Built on first use: loading the dictionaries takes tens of milliseconds.
  converters ??= {
    t: Converter({ from: 't', to: 'cn' }),
    hk: Converter({ from: 'hk', to: 'cn' }),
    tw: Converter({ from: 'tw', to: 'cn' }),
  };
  return converters;
}

/** The string itself when it is exactly one code point, otherwise null. */
function single(s: string): string | null {
  if (s.length === 0 || s.length > 2) return null;
  const cp = s.codePointAt(0) ?? 0;
  return (cp > 0xffff ? 2 : 1) === s.length ? s : null;
}

/**
 * Traditional → simplified for one character. OpenCC's generic table first; the Hong Kong and
 * Taiwan variant tables then fold the regional forms old prints use (敍→叙, 枱→台, 簷→檐).
 * A result of several characters is ignored: offsets must stay aligned.
 */
function foldHan(ch: string): string {
  const conv = hanConverters();
  const viaT = single(conv.t(ch));
  if (viaT !== null && viaT !== ch) return viaT;
  const viaHk = single(conv.hk(ch));
  if (viaHk !== null && viaHk !== ch) return viaHk;
  if (TW_VARIANT_EXCEPTIONS.has(ch)) return ch;
  const viaTw = single(conv.tw(ch));
  return viaTw ?? ch;
}

/** One round of folding; repeated until stable because some mappings chain (薴→苧→苎). */
function foldStep(ch: string): string {
  // Compatibility decomposition folds full-width ASCII (Ａ１，), Kangxi radicals that PDF text
  // layers emit instead of ideographs (⼈→人), CJK compatibility ideographs and circled digits;
  // dropping the marks makes é match e. Hangul and kana decompose into several characters, and
  // NFKC puts them back together. Marks are only dropped from alphabetic scripts (below U+2000):
  // kana voicing marks change the word (が is not か).
  const decomposed = ch.normalize('NFKD');
  const base = decomposed.codePointAt(0) ?? 0;
  const stripped = base < 0x2000 ? decomposed.replace(MARKS, '') : decomposed;
  let s = single(stripped) ?? single(ch.normalize('NFKC')) ?? ch;
  s = single(s.toLowerCase()) ?? s;
  if ((s.codePointAt(0) ?? 0) >= 0x2e80) s = foldHan(s);
  return s;
}

function computeFold(cp: number): number {
  let ch = String.fromCodePoint(cp);
  if (IGNORABLE.test(ch)) return DROP;
  for (let round = 0; round < 4; round++) {
    const next = foldStep(ch);
    if (next === ch) break;
    ch = next;
  }
  return IGNORABLE.test(ch) ? DROP : (ch.codePointAt(0) ?? cp);
}

function foldCodePoint(cp: number): number {
  if (cp < 0x10000) {
    const known = bmpFold[cp] ?? UNKNOWN;
    if (known !== UNKNOWN) return known;
    const folded = computeFold(cp);
    bmpFold[cp] = folded;
    return folded;
  }
  let folded = astralFold.get(cp);
  if (folded === undefined) {
    folded = computeFold(cp);
    astralFold.set(cp, folded);
  }
  return folded;
}

const CHUNK = 8192;
// A Uint16Array holds units in platform byte order; the UTF-16LE decoder is ~20× faster than
// String.fromCharCode but is only correct on little-endian machines (all Node targets in practice).
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

function decodeUnits(units: Uint16Array, length: number): string {
  if (LITTLE_ENDIAN) return UTF16.decode(units.subarray(0, length));
  // Chunked: spreading a whole page at once could exceed the argument limit.
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    out += String.fromCharCode(...units.subarray(i, Math.min(length, i + CHUNK)));
  }
  return out;
}

/**
 * Normalise a text for search: well-formed, no whitespace/controls/combining marks, full-width and
 * compatibility forms folded, lower case, traditional folded to simplified — character by character.
 */
export function normalizeText(original: string): NormalizedText {
  const n = original.length;
  let units = new Uint16Array(n + 2);
  // One entry per unit written, and the end: n + 1 unless BMP characters fold to astral ones.
  let map = new Int32Array(n + 2);
  let length = 0;
  for (let i = 0; i < n; ) {
    const start = i;
    let cp = original.charCodeAt(i++);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const lo = i < n ? original.charCodeAt(i) : 0;
      if (cp <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else {
        cp = 0xfffd; // a lone surrogate: Meilisearch rejects the whole batch otherwise
      }
    }
    const folded = foldCodePoint(cp);
    if (folded === DROP) continue;
    if (length + 3 > units.length) {
      // Only when BMP characters fold to astral ones, which OpenCC practically never does.
      const grown = new Uint16Array(units.length * 2 + 2);
      grown.set(units);
      units = grown;
      const grownMap = new Int32Array(grown.length);
      grownMap.set(map);
      map = grownMap;
    }
    if (folded < 0x10000) {
      map[length] = start;
      units[length++] = folded;
    } else {
      const offset = folded - 0x10000;
      map[length] = start;
      units[length++] = 0xd800 + (offset >> 10);
      map[length] = start;
      units[length++] = 0xdc00 + (offset & 0x3ff);
    }
  }
  map[length] = n;
  return { text: decodeUnits(units, length), map: map.slice(0, length + 1) };
}

/** The normalised form of a query term: the same rules as for pages. */
export function foldQuery(raw: string): string {
  return normalizeText(raw).text;
}

/** Replace lone surrogates with U+FFFD (String.prototype.toWellFormed, which ES2022 typings lack). */
export function makeWellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Token classes cached per BMP code point: 0 unknown, 1 letter/digit, 2 separator. */
const tokenClass = new Uint8Array(0x10000);
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Whether a code point is a letter or digit (Unicode L or N): a word character of the index fields. */
export function isWordCodePoint(cp: number): boolean {
  if (cp >= 0x10000) return WORD_CHAR.test(String.fromCodePoint(cp));
  let cls = tokenClass[cp] ?? 0;
  if (cls === 0) {
    cls = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
    tokenClass[cp] = cls;
  }
  return cls === 1;
}

/** The hard separator between token runs; Meilisearch phrases do not match across it. */
export const HARD_SEPARATOR = '。';

/**
 * The Meilisearch field value for a normalised text: every letter, digit or Han character as its
 * own word, and every run of anything else (punctuation, symbols) as one ` 。 ` so that a phrase
 * cannot match across it. `"石炭井，矿区2024年"` → `"石 炭 井 。 矿 区 2 0 2 4 年"`.
 */
export function toIndexTokens(normalized: string): string {
  const parts: string[] = [];
  let pendingSeparator = false;
  for (const ch of normalized) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isWordCodePoint(cp)) {
      if (pendingSeparator && parts.length > 0) parts.push(HARD_SEPARATOR);
      pendingSeparator = false;
      parts.push(ch);
    } else {
      pendingSeparator = true;
    }
  }
  return parts.join(' ');
}
