/**
 * Where a quoted passage is on the page image: a figure that quotes a page without naming a region
 * shows the passage as printed, not the whole page shrunk to the column. Found through the page's
 * character boxes with the same matching as search (hit-boxes.ts), so a quote typed in the other
 * script or across a line break is still found.
 */
import type { Region } from '../catalogue/stories.ts';
import type { PageRecord } from '../catalogue/types.ts';
import { hitRegions, scaleBox, type Box } from '../search/hit-boxes.ts';
import { foldQuery } from '../search/normalize.ts';
import type { ParsedQuery } from '../search/query.ts';

/** Room around the passage, in line heights: enough to see it sits in a page, not so much that it shrinks. */
const MARGIN_LINES = 0.8;

function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y };
}

/** The region of the page image that shows the quote (with a margin), or null when it cannot be located. */
export function quoteRegion(page: Pick<PageRecord, 'layout' | 'hasImage' | 'imageWidth' | 'imageHeight'>, quote: string): Region | null {
  const { layout, imageWidth: width, imageHeight: height } = page;
  if (!page.hasImage || !width || !height || !layout || layout.width <= 0 || layout.height <= 0) return null;
  const term = { text: foldQuery(quote), raw: quote, negated: false };
  if (!term.text) return null;
  // The quote as one exact term: its own quotation marks must not split it the way a query would be split.
  const q: ParsedQuery = { terms: [term], positive: [term], negative: [] };
  const found = hitRegions(layout, q)[0];
  if (!found) return null;
  const lines = found.boxes.map((b) => scaleBox(b, layout, width, height));
  const line = Math.min(...lines.map((b) => Math.min(b.w, b.h)));
  const margin = Math.round(line * MARGIN_LINES);
  const box = union(lines);
  const x = Math.max(0, box.x - margin);
  const y = Math.max(0, box.y - margin);
  return { x, y, w: Math.min(width, box.x + box.w + margin) - x, h: Math.min(height, box.y + box.h + margin) - y };
}
