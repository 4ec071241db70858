/**
 * Writes lines in reading order as raw page text plus a box for every character (`PageLayout`), and marks the
 * paragraph structure that only geometry shows, so the clean-up's paragraph rules get it as text:
 *
 * - a blank line where the space between two lines is clearly larger than the line spacing of their column, or
 *   where the type changes (size or face: headline, subheading, caption). Not when reading moves up to the
 *   next column: a column break says nothing about paragraphs.
 * - an ideographic-space indent on a paragraph's first line, indented 1–4 ems from its column's left edge and
 *   followed by a flush line (a run of equally indented lines is text flowing around a picture, not paragraphs).
 *
 * `chars` is exactly that text; spaces, indents and line breaks get empty boxes (0, 0, 0, 0).
 */

import type { PageLayout } from '../src/catalogue/types.ts';
import { SENTENCE_END } from './clean-rules/cjk-characters.ts';
import type { Fragment, Glyph } from './page-glyphs.ts';

/** One printed line: the pieces of one row within one column, left to right. */
export interface OrderedLine {
  pieces: Fragment[];
}

interface MeasuredLine {
  /** The last few printed characters, spaces left out: enough to see a sentence end. */
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
  font: string;
}

const INDENT = '\u3000\u3000';
// Extra space (in ems) beyond the column's usual line gap that counts as a paragraph gap.
const PARAGRAPH_GAP = 0.6;
const SIZE_CHANGE = 1.12;
// Gaps between runs (ems) that become one space, and between pieces of a line that become two.
const WORD_GAP = 0.25;
const FLUSH = 0.5;
const MIN_INDENT = 1.2;
const MAX_INDENT = 4.5;
const FULL_LINE_SLACK = 1.5;
const SAME_INDENT = 0.3;
// A line ending this far (ems) before the column's right edge stopped short: the next character would fit.
const EARLY_END = 1.5;
// A line without a sentence end filling at most this share of its column stands on its own.
const OWN_LINE_SHARE = 0.6;

const ENDING_CHARACTERS = 4;

function measure(line: OrderedLine): MeasuredLine {
  const { pieces } = line;
  const fonts = new Map<string, number>();
  let x0 = Infinity;
  let x1 = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  let size = 0;
  let widest = 0;
  for (const piece of pieces) {
    x0 = Math.min(x0, piece.x0);
    x1 = Math.max(x1, piece.x1);
    top = Math.min(top, piece.top);
    bottom = Math.max(bottom, piece.bottom);
    // The type size of the line is that of its longest piece (pieces know their own).
    if (piece.glyphs.length > widest) {
      widest = piece.glyphs.length;
      size = piece.size;
    }
    // By printed width, so that a line of Chinese with a long Latin name in it counts as Chinese type.
    let font = '';
    let width = 0;
    for (const g of piece.glyphs) {
      if (g.space) continue;
      if (g.source.font !== font) {
        if (width > 0) fonts.set(font, (fonts.get(font) ?? 0) + width);
        font = g.source.font;
        width = 0;
      }
      width += g.x1 - g.x0;
    }
    if (width > 0) fonts.set(font, (fonts.get(font) ?? 0) + width);
  }
  let font = '';
  let most = -1;
  for (const [name, width] of fonts) if (width > most) [font, most] = [name, width];
  // Only how the line ends matters to the paragraph rules.
  const last = pieces[pieces.length - 1]?.glyphs ?? [];
  const ending = last.filter((g) => !g.space).slice(-ENDING_CHARACTERS).map((g) => g.ch).join('');
  return { text: ending, x0, x1, top, bottom, size, font };
}

/** What a column's lines share: edges, usual line gap, and for each line how it starts and ends. */
interface ColumnShape {
  lines: MeasuredLine[];
  usualGap: number;
  indented: boolean[];
  endsEarly: boolean[];
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

/** The usual space between consecutive lines of a column. */
function usualGap(lines: readonly MeasuredLine[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const gap = (lines[i] as MeasuredLine).top - (lines[i - 1] as MeasuredLine).bottom;
    if (gap > -0.5 * (lines[i] as MeasuredLine).size) gaps.push(Math.max(0, gap));
  }
  return gaps.length > 0 ? percentile(gaps, 0.5) : 0.5 * (lines[0]?.size ?? 0);
}

type Start = 'flush' | 'indent' | 'other';

/**
 * Paragraph indents. Sure ones first: an indented line that runs to the column's usual right edge and is
 * followed by a flush line, not the third of a run of equal indents (text flowing around a picture). Then any
 * line indented by the same amount as a sure one: one-line paragraphs.
 */
function indents(lines: readonly MeasuredLine[]): boolean[] {
  const left = Math.min(...lines.map((l) => l.x0));
  // Robust right edge: spread lines and hanging punctuation stick out beyond it.
  const right = percentile(lines.map((l) => l.x1), 0.75);
  const offset = (l: MeasuredLine) => (l.x0 - left) / (l.size || 1);
  const starts: Start[] = lines.map((l) => {
    if (offset(l) <= FLUSH) return 'flush';
    return offset(l) >= MIN_INDENT && offset(l) <= MAX_INDENT ? 'indent' : 'other';
  });
  const sameIndent = (i: number, j: number) => starts[i] === 'indent' && starts[j] === 'indent' && Math.abs(offset(lines[i] as MeasuredLine) - offset(lines[j] as MeasuredLine)) < SAME_INDENT;
  const sure = lines.map((line, i) =>
    starts[i] === 'indent' &&
    line.x1 >= right - FULL_LINE_SLACK * line.size &&
    (i + 1 === lines.length || starts[i + 1] === 'flush') &&
    !(i >= 2 && sameIndent(i, i - 1) && sameIndent(i, i - 2)));
  const sureIndexes = sure.flatMap((isSure, i) => (isSure ? [i] : []));
  return lines.map((_line, i) => sure[i] === true || sureIndexes.some((j) => sameIndent(i, j)));
}

/**
 * Lines that stop short. A sentence end with room for the next character before the column's right edge ends a
 * paragraph (justified columns fill every other line, ragged ones break at the edge too). A line without one
 * that fills well under the column's width is a line of its own: a letter's closing, a verse, a heading. The
 * blank line after either lets the clean-up's paragraph rules see it.
 */
function earlyEnds(lines: readonly MeasuredLine[]): boolean[] {
  const left = Math.min(...lines.map((l) => l.x0));
  const right = Math.max(...lines.map((l) => l.x1));
  const usualRight = percentile(lines.map((l) => l.x1), 0.75);
  return lines.map((line) =>
    SENTENCE_END.test(line.text)
      ? right - line.x1 >= EARLY_END * line.size
      : line.x1 - left <= OWN_LINE_SHARE * (usualRight - left));
}

function columnShape(block: readonly OrderedLine[]): ColumnShape {
  const lines = block.map(measure);
  return { lines, usualGap: usualGap(lines), indented: indents(lines), endsEarly: earlyEnds(lines) };
}

/** Whether a blank line goes between two consecutive lines in reading order. */
function paragraphGap(previous: { line: MeasuredLine; column: ColumnShape; last: boolean; early: boolean }, line: MeasuredLine, column: ColumnShape): boolean {
  const before = previous.line;
  const sizes = [before.size, line.size].sort((a, b) => a - b) as [number, number];
  if (sizes[0] > 0 && sizes[1] / sizes[0] >= SIZE_CHANGE) return true;
  if (previous.early) return true;
  if (line.top < before.bottom - 0.2 * line.size) {
    // Reading moved up to the next column: text flows on unless the column held a single line (a caption).
    return previous.last && previous.column.lines.length === 1;
  }
  if (line.font !== before.font) return true;
  return line.top - before.bottom > column.usualGap + PARAGRAPH_GAP * line.size;
}

/** Writes glyphs and their boxes; knows the scale. */
class LayoutWriter {
  private readonly parts: string[] = [];
  readonly boxes: number[] = [];
  constructor(private readonly scale: number) {}

  get chars(): string {
    return this.parts.join('');
  }

  blank(text: string): void {
    this.parts.push(text);
    for (let i = 0; i < text.length; i += 1) this.boxes.push(0, 0, 0, 0);
  }

  glyph(g: Glyph): void {
    if (g.space) {
      this.blank(g.ch);
      return;
    }
    const s = this.scale;
    const x = Math.round(g.x0 * s);
    const y = Math.round(g.top * s);
    const w = Math.max(1, Math.round((g.x1 - g.x0) * s));
    const h = Math.max(1, Math.round((g.bottom - g.top) * s));
    this.parts.push(g.ch);
    for (let i = 0; i < g.ch.length; i += 1) this.boxes.push(x, y, w, h);
  }

  line(line: OrderedLine): void {
    for (let index = 0; index < line.pieces.length; index += 1) {
      if (index > 0) this.blank('  ');
      let previous: Glyph | null = null;
      for (const g of (line.pieces[index] as Fragment).glyphs) {
        if (previous && !g.space && !previous.space && g.source !== previous.source && g.x0 - previous.x1 >= WORD_GAP * g.source.size) {
          this.blank(' ');
        }
        this.glyph(g);
        previous = g;
      }
    }
  }
}

/**
 * Blocks (columns, in reading order) of lines → page text with boxes, sized in page pixels at `scale`.
 * `plain`: one line after another, no paragraph marks (for text whose geometry the column model cannot read).
 */
export function writeLayout(
  blocks: ReadonlyArray<readonly OrderedLine[]>,
  page: { width: number; height: number },
  scale: number,
  opts: { plain?: boolean } = {},
): PageLayout {
  const writer = new LayoutWriter(scale);
  let previous: { line: MeasuredLine; column: ColumnShape; last: boolean; early: boolean } | null = null;
  for (const block of blocks) {
    const column = columnShape(block);
    block.forEach((line, index) => {
      const current = column.lines[index] as MeasuredLine;
      if (previous) writer.blank(!opts.plain && paragraphGap(previous, current, column) ? '\n\n' : '\n');
      if (!opts.plain && column.indented[index]) writer.blank(INDENT);
      writer.line(line);
      previous = { line: current, column, last: index === block.length - 1, early: column.endsEarly[index] === true };
    });
  }
  return { width: Math.round(page.width * scale), height: Math.round(page.height * scale), chars: writer.chars, boxes: writer.boxes };
}
