/**
 * Artifact: text extraction returns printed lines, not paragraphs. A sentence broken at a line end, or at a
 * column or page break (which shows up as a blank line: `委员大讲\n\n堂、“书香政协”`), must be joined back
 * without a space; real paragraph ends must stay.
 *
 * Safe: a blank line only separates paragraphs when the text before it ends a sentence — running Chinese prose
 * never ends a paragraph on `，` or mid-word. Without a blank line, a paragraph starts at an indent, a list
 * marker (`——`, `一、`, `（一）`, `1.`), a `……` line, or after a sentence end on a line clearly shorter than
 * its neighbours (justified columns fill every line except a paragraph's last) or on a line wider than any
 * printed column (already a paragraph, so cleaning clean text changes nothing). A short standalone line with no
 * closing punctuation is a subheading and stays on its own line.
 */

import { SENTENCE_END, SOFT_SENTENCE_END, isAsciiDigit, isAsciiLetter } from './cjk-characters.ts';
import { isShortLine, neighbourWidths, visualWidth } from './line-width.ts';

/** How a line began before its leading spaces were stripped. */
export type LineStart = 'flush' | 'stray-space' | 'indent';

export interface PageLine {
  /** Cleaned, trimmed text; '' for a blank line (a blank also stands for a line removed by segmentation). */
  text: string;
  start: LineStart;
}

const LIST_MARKER = /^(?:——|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?![\d.．])|[①-⑳●■◆]|第[一二三四五六七八九十百\d]+[章节部分条])/u;
const ELLIPSIS_ONLY = /^(?:…{2,}|\.{3,}|。{3,})$/u;
const TRAILING_PUNCTUATION = /[\p{P}]$/u;
const CLOSING_MARKS = /[”’」』）)》]$/u;
// A paragraph end before a blank line may also be a colon introducing what follows.
const BLANK_LINE_END = /(?:[。！？…!?.][”’」』）)》"']*|[：:])$/u;

const SHORT_END_RATIO = 0.85;
// No printed column is this wide (a broadsheet spread line is ~70 ems): a wider line is already a whole
// paragraph — text that was cleaned before, or typed by staff — so its sentence end is a paragraph end.
const MAX_PRINTED_LINE_WIDTH = 90;
const SUBHEADING_RATIO = 0.7;

/** Classify the leading whitespace of a raw line: ideographic space or 2+ spaces indent; one space is stray. */
export function readLineStart(raw: string): LineStart {
  if (/^(?:\u3000|[ \t\u00A0]{2,})/u.test(raw)) return 'indent';
  if (/^[ \t\u00A0]/u.test(raw)) return 'stray-space';
  return 'flush';
}

/** Whether a line opens a paragraph by its own form, whatever came before. */
export function opensParagraph(line: PageLine): boolean {
  return line.start === 'indent' || LIST_MARKER.test(line.text) || ELLIPSIS_ONLY.test(line.text);
}

function isLatinOrDigit(char: string): boolean {
  return isAsciiLetter(char) || isAsciiDigit(char);
}

/** Join two printed lines of one paragraph: no space in Chinese, one space between two Latin words or numbers. */
export function joinLines(left: string, right: string): string {
  const last = left.at(-1) ?? '';
  const first = right[0] ?? '';
  return isLatinOrDigit(last) && isLatinOrDigit(first) ? `${left} ${right}` : left + right;
}

/** The page's lines with their widths measured once. */
interface Layout {
  lines: readonly PageLine[];
  widths: readonly number[];
  neighbours: readonly number[];
}

function isBlank(layout: Layout, index: number): boolean {
  return (layout.lines[index]?.text ?? '') === '';
}

function isShort(layout: Layout, index: number, ratio: number): boolean {
  return isShortLine(layout.widths[index] as number, layout.neighbours[index] as number, ratio);
}

function isSubheading(layout: Layout, index: number): boolean {
  const text = (layout.lines[index] as PageLine).text;
  return (
    isBlank(layout, index - 1) &&
    isBlank(layout, index + 1) &&
    isShort(layout, index, SUBHEADING_RATIO) &&
    (!TRAILING_PUNCTUATION.test(text) || CLOSING_MARKS.test(text)) &&
    !SENTENCE_END.test(text)
  );
}

function breaksBetween(layout: Layout, previous: number, next: number, blankBetween: boolean): boolean {
  const before = (layout.lines[previous] as PageLine).text;
  const line = layout.lines[next] as PageLine;
  if (isSubheading(layout, previous) || isSubheading(layout, next)) return true;
  if (opensParagraph(line) || ELLIPSIS_ONLY.test(before)) return true;
  // A numbered heading (`一、坚持党的领导`) followed at once by its text: short, no punctuation at the end.
  if (LIST_MARKER.test(before) && !TRAILING_PUNCTUATION.test(before) && isShort(layout, previous, SUBHEADING_RATIO)) {
    return true;
  }
  if (line.start === 'stray-space' && SOFT_SENTENCE_END.test(before)) return true;
  if (blankBetween) return BLANK_LINE_END.test(before);
  if (!SOFT_SENTENCE_END.test(before)) return false;
  return isShort(layout, previous, SHORT_END_RATIO) || (layout.widths[previous] as number) > MAX_PRINTED_LINE_WIDTH;
}

/** Group cleaned lines into paragraphs (each one string) following the rules in the header comment. */
export function joinParagraphs(lines: readonly PageLine[]): string[] {
  const texts = lines.map((line) => line.text);
  const widths = texts.map(visualWidth);
  const layout: Layout = { lines, widths, neighbours: neighbourWidths(texts, widths) };
  const paragraphs: string[] = [];
  let current: string | null = null;
  let previous = -1;
  let blankBetween = false;
  lines.forEach((line, index) => {
    if (line.text === '') {
      blankBetween = true;
      return;
    }
    if (current !== null && !breaksBetween(layout, previous, index, blankBetween)) {
      current = joinLines(current, line.text);
    } else {
      if (current !== null) paragraphs.push(current);
      current = line.text;
    }
    previous = index;
    blankBetween = false;
  });
  if (current !== null) paragraphs.push(current);
  return paragraphs;
}
