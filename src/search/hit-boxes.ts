/**
 * Where the matches of a query are on the page image: the stored character boxes of the page's layout
 * (OCR characters in image pixels, or text-layer glyphs in the PDF's own space), found with the same
 * normalisation and matching as search and snippets, so every match marked in the text can be boxed on
 * the scan. Boxes stay in the layout's coordinate space; views scale them.
 */
import type { PageLayout } from '../catalogue/types.ts';
import type { ParsedQuery } from './query.ts';
import { matchRangesInOriginal } from './snippet.ts';

export interface Box { x: number; y: number; w: number; h: number }

/** One match (overlapping matches merged) and its boxes: one per line or column it spans. */
export interface HitRegion {
  /** The matched characters as they are in the layout. */
  text: string;
  boxes: Box[];
}

function boxAt(layout: PageLayout, unit: number): Box | null {
  const at = unit * 4;
  const x = layout.boxes[at] ?? 0;
  const y = layout.boxes[at + 1] ?? 0;
  const w = layout.boxes[at + 2] ?? 0;
  const h = layout.boxes[at + 3] ?? 0;
  // Line breaks and spaces carry empty boxes: nothing to draw.
  return w > 0 && h > 0 ? { x, y, w, h } : null;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

type Direction = 'row' | 'column';

/**
 * How `next` continues `run`, if it does: on the same line (left to right) when they share at least half
 * of the smaller height and the gap is at most about one character, or down the same column (vertical
 * writing) likewise. A run of two or more characters keeps the direction it has.
 */
function continuation(run: Box, next: Box, direction: Direction | null): Direction | null {
  const size = Math.max(next.w, next.h);
  if (direction !== 'column' && overlap(run.y, run.y + run.h, next.y, next.y + next.h) >= 0.5 * Math.min(run.h, next.h)) {
    const gap = next.x - (run.x + run.w);
    if (gap <= size && next.x + next.w > run.x) return 'row';
  }
  if (direction !== 'row' && overlap(run.x, run.x + run.w, next.x, next.x + next.w) >= 0.5 * Math.min(run.w, next.w)) {
    const gap = next.y - (run.y + run.h);
    if (gap <= size && next.y + next.h > run.y) return 'column';
  }
  return null;
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Character boxes merged into one box per line (or column) they run along, in reading order. */
export function mergeCharacterBoxes(boxes: Box[]): Box[] {
  const runs: Array<{ box: Box; direction: Direction | null }> = [];
  for (const box of boxes) {
    const last = runs[runs.length - 1];
    const direction = last ? continuation(last.box, box, last.direction) : null;
    if (last && direction) {
      last.box = union(last.box, box);
      // The same box twice (both halves of a surrogate pair) sets no direction.
      if (last.box.w !== box.w || last.box.h !== box.h) last.direction = direction;
    } else {
      runs.push({ box: { ...box }, direction: null });
    }
  }
  return runs.map((r) => r.box);
}

/**
 * Every match of `q` on a page, as regions of its layout, in the layout's reading order. Characters
 * without a box (line breaks) are skipped; a match whose characters all lack boxes is left out.
 */
export function hitRegions(layout: PageLayout, q: ParsedQuery): HitRegion[] {
  if (q.positive.length === 0 || layout.chars.length === 0) return [];
  const regions: HitRegion[] = [];
  for (const range of matchRangesInOriginal(layout.chars, q)) {
    const boxes: Box[] = [];
    for (let unit = range.start; unit < range.end; unit++) {
      const box = boxAt(layout, unit);
      if (box) boxes.push(box);
    }
    if (boxes.length > 0) regions.push({ text: layout.chars.slice(range.start, range.end), boxes: mergeCharacterBoxes(boxes) });
  }
  return regions;
}

/** A box moved from the layout's space into a space of `width` × `height` (a canvas, an image), rounded to whole units. */
export function scaleBox(box: Box, layout: Pick<PageLayout, 'width' | 'height'>, width: number, height: number): Box {
  const sx = width / layout.width;
  const sy = height / layout.height;
  const x = Math.round(box.x * sx);
  const y = Math.round(box.y * sy);
  return { x, y, w: Math.max(1, Math.round((box.x + box.w) * sx) - x), h: Math.max(1, Math.round((box.y + box.h) * sy) - y) };
}
