/**
 * Reading order of a page from the positions of its text. A PDF's content stream is in whatever order the
 * layout program drew things — in newspaper pages the headline often comes last and columns out of order — so
 * the text is re-read the way a reader does:
 *
 * - Gutters are found from evidence: pieces of text standing side by side with a clear gap between them. The
 *   x-range shared by most such gaps is the gutter.
 * - Lines that cross the gutter (a headline, a full-width note) split the page into bands; within a band the
 *   left column is read before the right, each side recursively (three columns are a gutter inside a side).
 *   A wide empty strip across a band (under a row of photos) also starts a new band.
 * - What has no gutter is one column: top to bottom, and left to right along a line.
 *
 * Pure: positioned runs in, ordered lines out (`layout-text.ts` writes them as text with boxes).
 */

import type { PageLayout } from '../src/catalogue/types.ts';
import { writeLayout, type OrderedLine } from './layout-text.ts';
import {
  isHorizontal, lineFragments, runFragment, runGlyphs, type Fragment, type PlacedRun, type PositionedRun,
} from './page-glyphs.ts';

export type { PositionedRun } from './page-glyphs.ts';

/** A page's text layer: size in points and its runs in content-stream order. */
export interface PositionedPage {
  width: number;
  height: number;
  runs: readonly PositionedRun[];
}

interface Gutter {
  x0: number;
  x1: number;
  support: number;
}

interface Region {
  fragments: Fragment[];
}

// Gaps narrower than this (in body ems) are word or letter spacing, not gutters.
const MIN_GUTTER = 0.8;
// Side-by-side pieces must share this much of their height to witness a gutter.
const SIDE_BY_SIDE_OVERLAP = 0.5;
// An empty strip this tall (in body ems) across a band separates stacked blocks (text above a row of photos).
const BAND_GAP = 3;
// Text this much larger than the body is display type: a headline split by a phrase gap still spans the page.
const DISPLAY_RATIO = 1.3;
const MAX_DEPTH = 40;
// A table yields many gutter candidates; the best few decide.
const MAX_GUTTER_CANDIDATES = 6;

/** The type size most of the page's characters are set in: the body text. */
function bodySize(fragments: readonly Fragment[]): number {
  const bySize = [...fragments].sort((a, b) => a.size - b.size);
  const total = bySize.reduce((sum, f) => sum + f.glyphs.length, 0);
  let seen = 0;
  for (const f of bySize) {
    seen += f.glyphs.length;
    if (seen * 2 >= total) return f.size || 10;
  }
  return 10;
}

function verticalOverlap(a: { top: number; bottom: number }, b: { top: number; bottom: number }): number {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
}

/** Gaps between each piece and its nearest neighbour to the right on the same height. */
function sideBySideGaps(fragments: readonly Fragment[], em: number): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  for (const left of fragments) {
    let nearest: Fragment | null = null;
    let blocked = false;
    for (const right of fragments) {
      if (right === left || right.x1 <= left.x1) continue;
      const shared = verticalOverlap(left, right);
      if (shared <= 0) continue;
      if (right.x0 < left.x1 + MIN_GUTTER * em) {
        // Something starts right after this piece (or overlaps it): no clean gap on this line.
        if (right.x0 > left.x0) blocked = true;
        continue;
      }
      if (shared < SIDE_BY_SIDE_OVERLAP * Math.min(left.bottom - left.top, right.bottom - right.top)) continue;
      if (!nearest || right.x0 < nearest.x0) nearest = right;
    }
    if (nearest && !blocked) gaps.push([left.x1, nearest.x0]);
  }
  return gaps;
}

/** Candidate gutters, best supported first: the x-range inside the most gaps, then the next among the rest. */
/** The x-range covered by the most gaps (a sweep over their edges), with how many cover it. */
function deepestRange(gaps: ReadonlyArray<[number, number]>): { from: number; to: number; count: number } | null {
  const events = gaps.flatMap(([a, b]): Array<[number, number]> => [[a, 1], [b, -1]]).sort((p, q) => p[0] - q[0] || q[1] - p[1]);
  let depth = 0;
  let best: { from: number; to: number; count: number } | null = null;
  events.forEach(([x, step], i) => {
    depth += step;
    const next = events[i + 1]?.[0];
    if (next !== undefined && next > x && (!best || depth > best.count)) best = { from: x, to: next, count: depth };
  });
  return best;
}

/** Candidate gutters, best supported first: the x-range inside the most gaps, then the next among the rest. */
function findGutters(fragments: readonly Fragment[], em: number): Gutter[] {
  let gaps = sideBySideGaps(fragments, em);
  const gutters: Gutter[] = [];
  while (gaps.length >= 2 && gutters.length < MAX_GUTTER_CANDIDATES) {
    const best = deepestRange(gaps);
    if (!best || best.count < 2) break;
    const { from, to } = best;
    const inside = gaps.filter(([a, b]) => a <= from && b >= to);
    gutters.push({ x0: Math.max(...inside.map(([a]) => a)), x1: Math.min(...inside.map(([, b]) => b)), support: inside.length });
    gaps = gaps.filter(([a, b]) => !(a <= from && b >= to));
  }
  return gutters;
}

/** Pieces that cross the gutter: full-width lines, and display lines whose parts together span it. */
function crossers(fragments: readonly Fragment[], gutter: Gutter, em: number): Set<Fragment> {
  const spans = (x0: number, x1: number) => x0 < gutter.x0 && x1 > gutter.x1;
  const display = new Map<number, { x0: number; x1: number }>();
  for (const f of fragments) {
    if (f.size < DISPLAY_RATIO * em) continue;
    const seen = display.get(f.row);
    display.set(f.row, { x0: Math.min(seen?.x0 ?? f.x0, f.x0), x1: Math.max(seen?.x1 ?? f.x1, f.x1) });
  }
  return new Set(fragments.filter((f) => {
    const row = display.get(f.row);
    return spans(f.x0, f.x1) || (f.size >= DISPLAY_RATIO * em && row !== undefined && spans(row.x0, row.x1));
  }));
}

type Band = { kind: 'span' | 'columns'; fragments: Fragment[] };

/**
 * Split a region into bands along the gutter: runs of crossing lines (with what sits beside them) are "span"
 * bands; what lies between them is read as columns.
 */
function splitBands(fragments: readonly Fragment[], gutter: Gutter, em: number): Band[] {
  const crossing = crossers(fragments, gutter, em);
  if (crossing.size === 0) return [{ kind: 'columns', fragments: [...fragments] }];
  // Zones: vertical extents of crossing lines, merged, grown by pieces that sit at the same height.
  const zones: Array<{ top: number; bottom: number; members: Fragment[] }> = [];
  for (const f of [...crossing].sort((a, b) => a.top - b.top)) {
    const last = zones[zones.length - 1];
    if (last && f.top < last.bottom) {
      last.bottom = Math.max(last.bottom, f.bottom);
      last.members.push(f);
    } else zones.push({ top: f.top, bottom: f.bottom, members: [f] });
  }
  let rest = fragments.filter((f) => !crossing.has(f));
  for (let changed = true; changed;) {
    changed = false;
    rest = rest.filter((f) => {
      const zone = zones.find((z) => verticalOverlap(f, z) > 0.3 * (f.bottom - f.top));
      if (!zone) return true;
      zone.members.push(f);
      zone.top = Math.min(zone.top, f.top);
      zone.bottom = Math.max(zone.bottom, f.bottom);
      changed = true;
      return false;
    });
  }
  const bands: Band[] = [];
  const between: Fragment[][] = zones.map(() => []);
  const after: Fragment[] = [];
  for (const f of rest) {
    const middle = (f.top + f.bottom) / 2;
    const index = zones.findIndex((z) => middle < z.top);
    (index < 0 ? after : (between[index] as Fragment[])).push(f);
  }
  zones.forEach((zone, index) => {
    const before = between[index] as Fragment[];
    if (before.length > 0) bands.push({ kind: 'columns', fragments: before });
    // Crossing lines with nothing between them are one band: a headline block, a row of captions.
    const last = bands[bands.length - 1];
    if (last?.kind === 'span') last.fragments.push(...zone.members);
    else bands.push({ kind: 'span', fragments: zone.members });
  });
  if (after.length > 0) bands.push({ kind: 'columns', fragments: after });
  return bands;
}

/** Split where an empty strip at least BAND_GAP ems tall runs across the whole region. */
function cutAcross(fragments: readonly Fragment[], em: number): Fragment[][] {
  const sorted = [...fragments].sort((a, b) => a.top - b.top);
  const pieces: Fragment[][] = [];
  let bottom = -Infinity;
  for (const f of sorted) {
    if (pieces.length === 0 || f.top - bottom >= BAND_GAP * em) pieces.push([]);
    (pieces[pieces.length - 1] as Fragment[]).push(f);
    bottom = Math.max(bottom, f.bottom);
  }
  return pieces;
}

function orderColumns(fragments: readonly Fragment[], gutter: Gutter, em: number, depth: number): Fragment[][] {
  const middle = (gutter.x0 + gutter.x1) / 2;
  return cutAcross(fragments, em).flatMap((piece) => {
    const left = piece.filter((f) => (f.x0 + f.x1) / 2 < middle);
    const right = piece.filter((f) => (f.x0 + f.x1) / 2 >= middle);
    return [left, right].flatMap((side) => orderRegion({ fragments: side }, em, depth + 1));
  });
}

/** The widest x-range no piece enters, if one at least MIN_GUTTER ems wide parts the region. */
function clearGutter(fragments: readonly Fragment[], em: number): Gutter | null {
  const sorted = [...fragments].sort((a, b) => a.x0 - b.x0);
  let right = -Infinity;
  let best: Gutter | null = null;
  for (const f of sorted) {
    if (right > -Infinity && f.x0 - right >= MIN_GUTTER * em && (!best || f.x0 - right > best.x1 - best.x0)) {
      best = { x0: right, x1: f.x0, support: 0 };
    }
    right = Math.max(right, f.x1);
  }
  return best;
}

/**
 * The blocks of a region in reading order; each block is one column's pieces. First what is plainly apart —
 * stacked blocks with an empty strip between, side-by-side blocks with nothing between — then gutters with lines
 * crossing them.
 */
function orderRegion(region: Region, em: number, depth: number): Fragment[][] {
  const { fragments } = region;
  if (fragments.length === 0) return [];
  if (fragments.length === 1 || depth > MAX_DEPTH) return [fragments];
  const stacked = cutAcross(fragments, em);
  if (stacked.length > 1) return stacked.flatMap((piece) => orderRegion({ fragments: piece }, em, depth + 1));
  const clear = clearGutter(fragments, em);
  if (clear) return orderColumns(fragments, clear, em, depth);
  for (const gutter of findGutters(fragments, em)) {
    const bands = splitBands(fragments, gutter, em);
    if (bands.length === 1 && bands[0]?.kind === 'span') continue;
    return bands.flatMap((band) =>
      band.kind === 'span' ? orderRegion({ fragments: band.fragments }, em, depth + 1) : orderColumns(band.fragments, gutter, em, depth),
    );
  }
  return [fragments];
}

/** One column's pieces as lines: pieces on one row form one line, rows top to bottom. */
function blockLines(block: readonly Fragment[]): OrderedLine[] {
  const rows = new Map<number, Fragment[]>();
  for (const f of block) rows.set(f.row, [...(rows.get(f.row) ?? []), f]);
  return [...rows.values()]
    .map((pieces) => pieces.sort((a, b) => a.x0 - b.x0))
    .sort((a, b) => (a[0] as Fragment).base - (b[0] as Fragment).base || (a[0] as Fragment).x0 - (b[0] as Fragment).x0)
    .map((pieces) => ({ pieces }));
}

/**
 * The text of a page in reading order, with a box for every character.
 * @param scale Page-image pixels per point of the boxes and size (2 ≈ 144 DPI).
 */
export function orderPageText(page: PositionedPage, scale = 2): PageLayout {
  const horizontal: PlacedRun[] = [];
  const others: Fragment[] = [];
  let horizontalGlyphs = 0;
  let otherGlyphs = 0;
  page.runs.forEach((run, index) => {
    if (isHorizontal(run)) {
      const glyphs = runGlyphs(run);
      horizontal.push({ run, glyphs });
      horizontalGlyphs += glyphs.length;
      return;
    }
    const fragment = runFragment(run, -1 - index);
    if (fragment) {
      others.push(fragment);
      otherGlyphs += fragment.glyphs.length;
    }
  });
  // Mostly vertical or rotated text: no column model fits; keep the order the file gives.
  if (otherGlyphs > horizontalGlyphs) {
    const inStreamOrder = page.runs.flatMap((run, index) => {
      const fragment = runFragment(run, -1 - index);
      return fragment ? [{ pieces: [fragment] }] : [];
    });
    return writeLayout([inStreamOrder], page, scale, { plain: true });
  }
  const fragments = [...lineFragments(horizontal), ...others];
  const blocks = orderRegion({ fragments }, bodySize(fragments), 0);
  return writeLayout(blocks.map(blockLines), page, scale);
}
