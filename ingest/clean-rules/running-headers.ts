/**
 * Artifact: running headers and footers. Every page of a volume or newspaper carries the same title, section
 * name, date line or page number at its top or bottom; extracted with the page text they would be indexed
 * hundreds of times and break sentences that run across pages.
 *
 * Safe: a line is removed only when it sits among the first or last lines of a page and the same line (digits
 * ignored, so `第 12 版` and `第 13 版` count as one) sits there on at least half of the pages, and on two at
 * least, and is short (≤ 40 characters). Body text does not repeat at the same place page after page.
 */

const EDGE_LINES = 2;
// Running headers are short; a longer line is body text even when it recurs.
const MAX_HEADER_LENGTH = 40;
const MIN_SHARE_OF_PAGES = 0.5;

function headerKey(line: string): string {
  if (line.length > MAX_HEADER_LENGTH) return '';
  return line.replace(/\s+/g, '').replace(/[0-9０-９]+/g, '#');
}

/** Indexes of the first and last non-blank lines of a page, where headers and footers live. */
function edgeLineIndexes(lines: readonly string[]): number[] {
  const filled = lines.flatMap((line, index) => (line.trim() === '' ? [] : [index]));
  if (filled.length <= 2 * EDGE_LINES) return filled;
  return [...filled.slice(0, EDGE_LINES), ...filled.slice(-EDGE_LINES)];
}

/** Remove lines repeated at the top or bottom of most pages; other lines are returned byte for byte. */
export function dropRunningHeaders(pages: readonly string[]): string[] {
  const pageLines = pages.map((page) => page.split('\n'));
  const edges = pageLines.map(edgeLineIndexes);
  const pagesWithKey = new Map<string, number>();
  edges.forEach((indexes, pageIndex) => {
    const keys = new Set(indexes.map((index) => headerKey(pageLines[pageIndex]?.[index] ?? '')));
    for (const key of keys) if (key !== '') pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  });
  const threshold = Math.max(2, Math.ceil(MIN_SHARE_OF_PAGES * pages.length));
  return pageLines.map((lines, pageIndex) => {
    const edge = new Set(edges[pageIndex]);
    const kept = lines.filter((line, index) => !edge.has(index) || (pagesWithKey.get(headerKey(line)) ?? 0) < threshold);
    return kept.length === lines.length ? (pages[pageIndex] as string) : kept.join('\n');
  });
}
