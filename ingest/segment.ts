/**
 * Structure of a page: the headline, dek and byline of its article, and the photo captions mixed into the text.
 * Pure functions over lines the clean-up stage has already repaired; `ingest/clean.ts` composes them.
 *
 * Text extraction does not give headlines first: in the sample page the headline, dek and byline come out in
 * the middle of the stream, after the body they head. So the title block is found by its anchors — a dek line
 * (`——…`) or a byline (`本报记者 …`) anywhere on the page — and the headline is the headline-like line just
 * above them; without anchors, a short isolated line at the very end or very start of the page.
 */

import { SENTENCE_END, isHanLike } from './clean-rules/cjk-characters.ts';
import { tidyCjkSpacing } from './clean-rules/cjk-spacing.ts';
import { isShortLine, neighbourWidths, visualWidth } from './clean-rules/line-width.ts';
import { widenChinesePunctuation } from './clean-rules/punctuation-width.ts';

/** One line as two views: `raw` after undoubling only (spaces intact), `text` fully cleaned and trimmed. */
export interface SegmentLine {
  raw: string;
  text: string;
}

export interface TitleBlock {
  headline: string | null;
  dek: string | null;
  byline: string | null;
  /** Lines that belong to the title block and must not reach the body. */
  lineIndexes: ReadonlySet<number>;
}

const BYLINE_ROLE = /^(?:本报|本刊|特约|实习|见习|摄影)?(?:记者|通讯员)|^(?:文|图|撰文|摄影)[/／:：]/u;
const BYLINE_ROLE_PREFIX = /^(?:本报|本刊|特约|实习|见习|摄影)?(?:记者|通讯员)/u;
const BYLINE_CREDIT = /(?:文[/／]图|图[/／]文)$|^(?:文|图)[/／]/u;
const BYLINE_SUFFIX = /(?:文[/／]图|图[/／]文|摄影|摄|报道)$/u;
const CLAUSE_PUNCTUATION = /[，。；！？,;!?]/u;
const DEK_OPENING = /^(?:——|--|－－)/u;
const HEADLINE_FORBIDDEN = /[。；;]|[，、：,:]$/u;
const LIST_OPENING = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])/u;
const CAPTION_DATE = /^\d{4}年\d{1,2}月(?:\d{1,2}日)?/u;
const CAPTION_MARK = /^(?:[▲△▼▽]|图为|上图|下图|左图|右图)/u;
const POSITION_MARKER = /[（(](?:前排|后排|中排|第[一二三四五]排)?(?:左|右)起?第?[一二三四五六七八九十\d]{1,2}[）)]|[（(](?:前排|后排)?(?:居中|中)[）)]/u;

const MAX_TITLE_WIDTH = 40;
const MAX_BYLINE_WIDTH = 30;
const MAX_CAPTION_WIDTH = 80;
const MAX_CAPTION_SENTENCES = 2;
// An anchorless headline must be much shorter than the text column around it.
const LONE_HEADLINE_RATIO = 0.6;

/** A cleaned line that credits the article: `本报记者罗鸣文/图`, `通讯员李四`, `文/张三`. */
export function isByline(text: string): boolean {
  if (!BYLINE_ROLE.test(text) && !BYLINE_CREDIT.test(text)) return false;
  return visualWidth(text) <= MAX_BYLINE_WIDTH && !CLAUSE_PUNCTUATION.test(text);
}

/** A cleaned line that can be a dek: opens with `——`, title-short, not a sentence. */
export function isDek(text: string): boolean {
  return DEK_OPENING.test(text) && visualWidth(text) <= MAX_TITLE_WIDTH && !/[。；]/u.test(text);
}

function isHeadlineLike(text: string): boolean {
  const han = Array.from(text).filter(isHanLike).length;
  return (
    han >= 2 &&
    visualWidth(text) <= MAX_TITLE_WIDTH &&
    !HEADLINE_FORBIDDEN.test(text) &&
    !DEK_OPENING.test(text) &&
    !LIST_OPENING.test(text) &&
    !CAPTION_DATE.test(text) &&
    !isByline(text)
  );
}

/**
 * Byline as printed, without letter-spacing: `本报记者 罗 鸣 文/图` → `本报记者 罗鸣 文/图`. Roles, names and
 * the credit are separated by one space; a name whose characters were spaced out is closed up.
 */
export function formatByline(raw: string): string {
  const pieces: string[] = [];
  for (const token of raw.trim().split(/[\s\u3000]+/u)) {
    const role = BYLINE_ROLE_PREFIX.exec(token)?.[0] ?? '';
    const rest = token.slice(role.length);
    const suffix = BYLINE_SUFFIX.exec(rest)?.[0] ?? '';
    const name = rest.slice(0, rest.length - suffix.length);
    for (const piece of [role, name, suffix]) if (piece !== '') pieces.push(piece);
  }
  const groups: string[] = [];
  let previousWasSpacedChar = false;
  for (const piece of pieces) {
    const spacedChar = Array.from(piece).length === 1 && isHanLike(piece) && !BYLINE_SUFFIX.test(piece);
    if (spacedChar && previousWasSpacedChar) groups[groups.length - 1] += piece;
    else groups.push(piece);
    previousWasSpacedChar = spacedChar;
  }
  return groups.map((group) => widenChinesePunctuation(group)).join(' ');
}

/**
 * Headline as printed. Spaces inside a headline are usually letter-spacing, but a wide gap between two phrases
 * (`凝心聚力促发展 奋楫扬帆开新局`) is part of the headline and is kept as one space.
 */
export function formatHeadline(raw: string): string {
  const trimmed = raw.trim();
  const tokens = trimmed.split(/[\s\u3000]+/u);
  const gaps = trimmed.match(/[\s\u3000]+/gu) ?? [];
  const letterSpaced = tokens.length >= 3 && tokens.filter((token) => Array.from(token).length === 1).length / tokens.length >= 0.6;
  const phrases: string[] = [tokens[0] ?? ''];
  tokens.slice(1).forEach((token, index) => {
    const previous = tokens[index] ?? '';
    const phraseGap = letterSpaced
      ? (gaps[index]?.length ?? 0) >= 2
      : Array.from(previous).length >= 2 && Array.from(token).length >= 2 && isHanLike(previous.at(-1) ?? '') && isHanLike(token[0] ?? '');
    if (phraseGap) phrases.push(token);
    else phrases[phrases.length - 1] += ` ${token}`;
  });
  return phrases.map((phrase) => widenChinesePunctuation(tidyCjkSpacing(phrase))).join(' ');
}

function previousFilled(lines: readonly SegmentLine[], index: number): number {
  for (let i = index - 1; i >= 0; i -= 1) if (lines[i]?.text !== '') return i;
  return -1;
}

function nextFilled(lines: readonly SegmentLine[], index: number): number {
  for (let i = index + 1; i < lines.length; i += 1) if (lines[i]?.text !== '') return i;
  return -1;
}

/** A line that can open an article: what precedes it ended a sentence, or nothing does. */
function standsAfterSentenceEnd(lines: readonly SegmentLine[], index: number): boolean {
  const before = previousFilled(lines, index);
  return before < 0 || SENTENCE_END.test(lines[before]?.text ?? '') || before < index - 1;
}

function isBetweenBlanks(lines: readonly SegmentLine[], index: number): boolean {
  return (lines[index - 1]?.text ?? '') === '' && (lines[index + 1]?.text ?? '') === '';
}

/**
 * The first dek or byline that anchors a title block, with the headline-like line above it. A byline with
 * neither dek nor headline counts only when it stands alone between blank lines: a body line can begin with
 * `记者…` too.
 */
function findAnchoredTitle(lines: readonly SegmentLine[]): { headline: number; dek: number; byline: number } | null {
  const text = (index: number): string => (index < 0 ? '' : (lines[index]?.text ?? ''));
  for (let index = 0; index < lines.length; index += 1) {
    const line = text(index);
    const before = previousFilled(lines, index);
    const after = nextFilled(lines, index);
    let dek = -1;
    let byline = -1;
    if (isDek(line) && (isHeadlineLike(text(before)) || isByline(text(after)))) {
      dek = index;
      byline = isByline(text(after)) ? after : -1;
    } else if (isByline(line)) {
      byline = index;
      dek = isDek(text(before)) ? before : -1;
    } else {
      continue;
    }
    const above = previousFilled(lines, dek >= 0 ? dek : byline);
    const headline = isHeadlineLike(text(above)) && standsAfterSentenceEnd(lines, above) ? above : -1;
    if (headline >= 0 || dek >= 0 || isBetweenBlanks(lines, byline)) return { headline, dek, byline };
  }
  return null;
}

/** Anchorless headline: a short, isolated, headline-like line at the end (where extraction put it) or start. */
function findLoneHeadline(lines: readonly SegmentLine[]): number {
  const widths = neighbourWidths(lines.map((line) => line.text));
  const first = nextFilled(lines, -1);
  const last = previousFilled(lines, lines.length);
  for (const index of [last, first]) {
    if (index < 0) continue;
    const line = lines[index] as SegmentLine;
    const isolated = index === first ? lines[index + 1]?.text === '' : standsAfterSentenceEnd(lines, index);
    if (isolated && isHeadlineLike(line.text) && isShortLine(visualWidth(line.text), widths[index] as number, LONE_HEADLINE_RATIO)) return index;
  }
  return -1;
}

/** Find the headline, dek and byline of the page's article and the lines they occupy. */
export function findTitleBlock(lines: readonly SegmentLine[]): TitleBlock {
  const anchored = findAnchoredTitle(lines) ?? { headline: findLoneHeadline(lines), dek: -1, byline: -1 };
  const pick = (index: number, format: (raw: string) => string): string | null =>
    index >= 0 ? format((lines[index] as SegmentLine).raw) : null;
  return {
    headline: pick(anchored.headline, formatHeadline),
    dek: pick(anchored.dek, (raw) => widenChinesePunctuation(tidyCjkSpacing(raw))),
    byline: pick(anchored.byline, formatByline),
    lineIndexes: new Set([anchored.headline, anchored.dek, anchored.byline].filter((index) => index >= 0)),
  };
}

/**
 * A photo caption: a short paragraph (one or two sentences) that opens with a date (`2024年9月20日，…`) or a
 * caption mark (`▲`, `图为`), or names positions in the picture (`（左四）`, `（前排左三）`).
 */
export function isCaption(paragraph: string): boolean {
  if (visualWidth(paragraph) > MAX_CAPTION_WIDTH) return false;
  const sentences = paragraph.match(/[。！？][”’」』）)]*(?!$)/gu)?.length ?? 0;
  if (sentences + 1 > MAX_CAPTION_SENTENCES) return false;
  return CAPTION_DATE.test(paragraph) || CAPTION_MARK.test(paragraph) || POSITION_MARKER.test(paragraph);
}

/**
 * Split paragraphs into photo captions and body, both in page order. `isBodyText` vetoes a caption the layout
 * shows to be running text (a paragraph whose first line is indented: captions are set flush or centred), so
 * a body paragraph that happens to open with a date stays in the body.
 */
export function separateCaptions(
  paragraphs: readonly string[],
  isBodyText: (paragraph: string) => boolean = () => false,
): { captions: string[]; body: string[] } {
  const captions: string[] = [];
  const body: string[] = [];
  for (const paragraph of paragraphs) (isCaption(paragraph) && !isBodyText(paragraph) ? captions : body).push(paragraph);
  return { captions, body };
}
