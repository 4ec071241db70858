/**
 * Artifact: "fake bold". Many Chinese newspapers embolden a font by drawing every text run twice with a tiny
 * offset; a text-layer extraction then returns each run twice in a row: `时光为笔时光为笔，，`, `1414..88 万元万元`.
 * Some producers double each glyph instead (`研研究究`). Whole lines can come out twice as well.
 *
 * Safe: a page is only touched when it carries the signal — a doubled CJK punctuation pair (`，，` `。。` `、、`
 * `《《` …), which never occurs in normal Chinese text, on a line made mostly of doubled runs. A page without it
 * is returned unchanged, so 谢谢, 人人, 家家户户, 研究研究 in ordinary text are never seen by this rule. On a page
 * with it, a line without its own signal is undoubled only when it is doubled through and through and at least
 * 8 characters long (or only punctuation, like `…………`). Within a doubled line the longest repeated run wins at
 * each position, which keeps a repeat inside a run (`一组组` drawn as `一组组…一组组…`) intact.
 */

const DOUBLED_CJK_PUNCTUATION = /([，。、；：《》“”（）「」『』〈〉【】])\1/u;
const PUNCTUATION_ONLY = /^[\p{P}\p{S}\s]+$/u;

// Longest run we look for. Fake-bold runs are the text between two punctuation marks, rarely past 40 characters.
const MAX_RUN = 96;
// Share of a line's non-space characters that must come in doubled runs before we undouble it.
const MIN_COVERAGE_SIGNALLED = 0.7;
const MIN_COVERAGE_UNSIGNALLED = 0.9;
// A line without its own signal needs this many characters per half to be unambiguous (`研究研究` is not).
const MIN_UNSIGNALLED_HALF = 4;

export interface Undoubled {
  text: string;
  /** Fraction of non-space characters consumed as halves of doubled runs. */
  coverage: number;
}

/** True when the line contains a doubled CJK punctuation pair such as `，，`. */
export function hasDoubledPunctuation(line: string): boolean {
  return DOUBLED_CJK_PUNCTUATION.test(line);
}

/**
 * Length of the longest run starting at `i` that is immediately repeated, 0 if none. Only lengths at which the
 * first character recurs are compared, longest first; lines are short, so this is cheap.
 */
function longestRepeatedRun(chars: readonly string[], i: number): number {
  const first = chars[i];
  for (let length = Math.min(MAX_RUN, (chars.length - i) >> 1); length >= 1; length -= 1) {
    if (chars[i + length] !== first) continue;
    let k = 1;
    while (k < length && chars[i + k] === chars[i + length + k]) k += 1;
    if (k === length) return length;
  }
  return 0;
}

/**
 * Greedy: at each position take the longest run that is immediately repeated, keep one copy. Gives up (null)
 * once more than `maxUnpaired` non-space characters are found outside doubled runs.
 */
function undoubleRunByRun(chars: readonly string[], maxUnpaired = Infinity): Undoubled | null {
  let out = '';
  let paired = 0;
  let unpaired = 0;
  let i = 0;
  while (i < chars.length) {
    const first = chars[i] as string;
    const run = first === ' ' ? 0 : longestRepeatedRun(chars, i);
    if (run === 0) {
      out += first;
      if (first !== ' ') unpaired += 1;
      if (unpaired > maxUnpaired) return null;
      i += 1;
      continue;
    }
    const piece = chars.slice(i, i + run).join('');
    out += piece;
    paired += 2 * piece.replace(/ /g, '').length;
    i += 2 * run;
  }
  const counted = paired + unpaired;
  return { text: out, coverage: counted === 0 ? 0 : paired / counted };
}

/** How a page's producer doubled its text: each text run twice, or each glyph twice. */
export type DoublingStyle = 'run' | 'glyph';

/**
 * Per-glyph doubling (`研研究究研研究究`): every non-space character equals its successor. Taking every other
 * character is then the only reading that keeps `研究研究` whole, where run-by-run would keep `研研究究`.
 * Null when some character is not doubled.
 */
function undoubleGlyphByGlyph(chars: readonly string[]): Undoubled | null {
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const char = chars[i] as string;
    if (char !== ' ' && chars[i + 1] !== char) return null;
    out += char;
    i += char === ' ' ? 1 : 2;
  }
  return { text: out, coverage: 1 };
}

/** Undouble one line in the given style (a glyph-style line that does not fully pair falls back to runs). */
export function undoubleLine(line: string, style: DoublingStyle = 'run'): Undoubled {
  const chars = Array.from(line);
  return (style === 'glyph' ? undoubleGlyphByGlyph(chars) : null) ?? (undoubleRunByRun(chars) as Undoubled);
}

/**
 * A line of reduplicated words drawn run by run (`家家户户家家户户，，`) also pairs glyph by glyph, so one line
 * cannot tell the styles apart; a page can. A producer uses one style throughout: the page is glyph-doubled
 * only if every doubled line on it pairs glyph by glyph.
 */
function detectDoublingStyle(doubledLines: readonly string[]): DoublingStyle {
  const allPair = doubledLines.every((line) => undoubleGlyphByGlyph(Array.from(line)) !== null);
  return doubledLines.length > 0 && allPair ? 'glyph' : 'run';
}

function compactLength(text: string): number {
  return text.replace(/\s/g, '').length;
}

/**
 * Undouble the fake-bold lines of one page. A line qualifies when it has the doubled-punctuation signal itself,
 * or when the page has the signal and the line (say a headline or a `…………` line) is entirely doubled runs.
 * Then drops a line that merely repeats the previous line on such a page (the second drawing landed on its own line).
 */
export function undoubleFakeBold(lines: readonly string[]): string[] {
  const runResults = lines.map((line) => (hasDoubledPunctuation(line) ? undoubleLine(line) : null));
  const doubled = lines.filter((_line, index) => (runResults[index]?.coverage ?? 0) >= MIN_COVERAGE_SIGNALLED);
  if (doubled.length === 0 && countRepeatedLines(lines) < 2) return [...lines];
  const style = detectDoublingStyle(doubled);
  const undoubled = lines.map((line, index) => {
    const runResult = runResults[index];
    if (runResult === null || runResult === undefined) return undoubleUnsignalled(line, style);
    const result = style === 'run' ? runResult : undoubleLine(line, style);
    return result.coverage >= MIN_COVERAGE_SIGNALLED ? result.text : line;
  });
  return undoubled.filter((line, index) => index === 0 || !isRepeatOfPrevious(line, undoubled[index - 1]));
}

function undoubleUnsignalled(line: string, style: DoublingStyle): string {
  const length = compactLength(line);
  if (length < 2) return line;
  if (length < 2 * MIN_UNSIGNALLED_HALF && !PUNCTUATION_ONLY.test(line)) return line;
  const chars = Array.from(line);
  const glyphs = style === 'glyph' ? undoubleGlyphByGlyph(chars) : null;
  if (glyphs !== null) return glyphs.text;
  const runs = undoubleRunByRun(chars, Math.floor((1 - MIN_COVERAGE_UNSIGNALLED) * length));
  return runs === null ? line : runs.text;
}

function isRepeatOfPrevious(line: string, previous: string | undefined): boolean {
  return line === previous && compactLength(line) >= MIN_UNSIGNALLED_HALF;
}

function countRepeatedLines(lines: readonly string[]): number {
  let count = 0;
  for (let i = 1; i < lines.length; i += 1) if (isRepeatOfPrevious(lines[i] as string, lines[i - 1])) count += 1;
  return count;
}
