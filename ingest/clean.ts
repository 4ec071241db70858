/**
 * Clean-up stage of ingestion: repairs the artifacts of text extraction (fake-bold doubling, letter-spacing,
 * ASCII punctuation in Chinese, broken lines) and, for whole pages, separates headline, dek, byline and photo
 * captions from the body. Pure: no I/O, same input, same output. Each repair is one rule in `clean-rules/`.
 */

import { tidyCjkSpacing } from './clean-rules/cjk-spacing.ts';
import { normalizeEllipsis } from './clean-rules/ellipsis-form.ts';
import { undoubleFakeBold } from './clean-rules/fake-bold.ts';
import { joinParagraphs, readLineStart, type PageLine } from './clean-rules/paragraphs.ts';
import { widenChinesePunctuation } from './clean-rules/punctuation-width.ts';
import { dropRunningHeaders as dropRepeatedEdgeLines } from './clean-rules/running-headers.ts';
import { repairUnicode } from './clean-rules/unicode-form.ts';
import { findTitleBlock, separateCaptions, type SegmentLine } from './segment.ts';

export interface CleanPage {
  /** Main headline of the page's article, if detected. */
  headline: string | null;
  /** Sub-headline such as `——大武口区政协2024年工作亮点回眸`. */
  dek: string | null;
  /** E.g. `本报记者 罗鸣 文/图`: one space between role, name and credit; names not letter-spaced. */
  byline: string | null;
  /** Photo captions, in page order, cleaned. */
  captions: string[];
  /** Clean body: paragraphs separated by `\n`; subheadings on their own line. */
  body: string;
}

/** Unicode repair and fake-bold undoubling: the line-level repairs that must precede everything else. */
function repairLines(raw: string): string[] {
  return undoubleFakeBold(normalizeEllipsis(repairUnicode(raw)).split('\n'));
}

/**
 * Spacing, then punctuation width (which needs spaces gone to see Chinese neighbours), then spacing again
 * (a newly full-width mark takes no space beside it).
 */
function repairLineText(line: string): string {
  const spaced = tidyCjkSpacing(line);
  const widened = widenChinesePunctuation(spaced);
  return widened === spaced ? spaced : tidyCjkSpacing(widened);
}

function toPageLine(line: string): PageLine {
  return { text: repairLineText(line), start: readLineStart(line) };
}

/**
 * Clean one page and find its structure.
 * @param raw Raw text of one page as extracted (lines separated by `\n`), in reading order as given.
 */
export function cleanPageText(raw: string): CleanPage {
  const lines: SegmentLine[] = repairLines(raw).map((line) => ({ raw: line, text: repairLineText(line) }));
  const title = findTitleBlock(lines);
  const pageLines = lines.map((line, index): PageLine =>
    title.lineIndexes.has(index) ? { text: '', start: 'flush' } : { text: line.text, start: readLineStart(line.raw) },
  );
  // Paragraphs opened by an indented line are running text, whatever they start with.
  const indented = pageLines.filter((line) => line.start === 'indent' && line.text !== '').map((line) => line.text);
  const { captions, body } = separateCaptions(joinParagraphs(pageLines), (paragraph) => indented.some((line) => paragraph.startsWith(line)));
  return { headline: title.headline, dek: title.dek, byline: title.byline, captions, body: body.join('\n') };
}

/**
 * Only the artifact repairs (undoubling, spaces, punctuation width, line joining), no structure: for OCR text
 * and staff previews. Paragraphs are separated by `\n`.
 */
export function cleanText(raw: string): string {
  return joinParagraphs(repairLines(raw).map(toPageLine)).join('\n');
}

/**
 * Lines repeated at the top/bottom of most pages (running headers, footers, page numbers) — given all pages'
 * raw text, return the page texts with them removed.
 */
export function dropRunningHeaders(pages: string[]): string[] {
  return dropRepeatedEdgeLines(pages);
}
