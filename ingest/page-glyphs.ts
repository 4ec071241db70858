/**
 * From positioned text runs (what a PDF text layer gives: a string, where its baseline starts, how far it
 * advances) to glyphs with boxes, and from glyphs to the pieces of printed lines. Pure geometry, no PDF library.
 *
 * A text layer positions runs, not characters, so each character's box is estimated: the run's advance is
 * shared among its characters in proportion to their usual widths (a Han character one em, a digit about half).
 * Exact at run edges, close enough inside a run for undoubling and for highlighting hits on the page image.
 */

/** One run of text as the page positions it; page points, y growing downward. */
export interface PositionedRun {
  text: string;
  /** Start of the baseline. */
  x: number;
  y: number;
  /** Unit vector of the writing direction: (1, 0) for ordinary horizontal text. */
  dirX: number;
  dirY: number;
  /** Advance along the writing direction. */
  length: number;
  /** Font size: the em. */
  size: number;
  /** Vertical writing (a CJK font on a -V CMap): glyphs advance downward, centred on x. */
  vertical: boolean;
  /** Identifies the font: a line set in another font than its neighbours is a heading or a caption. */
  font: string;
}

export interface Glyph {
  /** One code point (may be two UTF-16 units). */
  ch: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Baseline y. */
  base: number;
  size: number;
  font: string;
  space: boolean;
  /** Index of the run the glyph came from: glyphs of different runs meet at exactly known positions. */
  run: number;
}

/** A piece of one printed line: glyphs on one baseline with no wide gap between them. */
export interface Fragment {
  glyphs: Glyph[];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  base: number;
  size: number;
  /** Glyph rows share a number when their glyphs sit on one baseline. */
  row: number;
}

// Share of the em above and below the baseline that a glyph box covers (typical CJK font metrics).
const ASCENT = 0.88;
const DESCENT = 0.12;
// Fake-bold copies are drawn a fraction of a point apart; a real neighbour sits a whole glyph further on.
const DUPLICATE_SHIFT = 0.45;
const SAME_BASELINE = 0.2;
const BASELINE_BUCKET = 2;
// A gap wider than this (in ems) ends a line piece: column gutters are wider, letter-spacing narrower.
const PIECE_GAP = 1.2;

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u2014\u2026\u22EF\u201C\u201D\u2018\u2019]|[\u{20000}-\u{3FFFF}]/u;

/** Usual advance of a character in ems, to share a run's advance among its characters. */
export function advanceWeight(ch: string): number {
  if (WIDE.test(ch)) return 1;
  if (/\s/.test(ch)) return 0.28;
  if (/[0-9]/.test(ch)) return 0.55;
  if (/[.,:;'!|ijlI]/.test(ch)) return 0.28;
  if (/[mwMW]/.test(ch)) return 0.85;
  if (/[A-Z]/.test(ch)) return 0.67;
  return 0.52;
}

export function isHorizontal(run: PositionedRun): boolean {
  return !run.vertical && run.dirX > 0 && Math.abs(run.dirY) < 0.05 * run.dirX;
}

/** The characters of a run with their boxes, sharing the advance by usual width. */
export function runGlyphs(run: PositionedRun, runIndex: number): Glyph[] {
  const chars = Array.from(run.text);
  const weights = chars.map(advanceWeight);
  const total = weights.reduce((sum, w) => sum + w, 0) || 1;
  const glyphs: Glyph[] = [];
  let offset = 0;
  chars.forEach((ch, i) => {
    const step = (run.length * (weights[i] as number)) / total;
    // Along the writing direction from `offset` to `offset + step`; across it, the em box.
    const ax = run.x + run.dirX * offset;
    const ay = run.y + run.dirY * offset;
    const bx = run.x + run.dirX * (offset + step);
    const by = run.y + run.dirY * (offset + step);
    const half = run.size / 2;
    const box = run.vertical
      ? { x0: Math.min(ax, bx) - half, x1: Math.max(ax, bx) + half, top: Math.min(ay, by), bottom: Math.max(ay, by) }
      : orientedBox(ax, ay, bx, by, run);
    glyphs.push({ ch, ...box, base: run.y, size: run.size, font: run.font, space: /^\s$/u.test(ch), run: runIndex });
    offset += step;
  });
  return glyphs;
}

/** Axis-aligned box of a glyph whose baseline runs from (ax, ay) to (bx, by), ascent "up" from the baseline. */
function orientedBox(ax: number, ay: number, bx: number, by: number, run: PositionedRun) {
  // "Up" is the writing direction turned a quarter to the left (y grows downward on the page).
  const upX = run.dirY;
  const upY = -run.dirX;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [px, py] of [[ax, ay], [bx, by]] as const) {
    for (const k of [-DESCENT, ASCENT]) {
      xs.push(px + upX * k * run.size);
      ys.push(py + upY * k * run.size);
    }
  }
  return { x0: Math.min(...xs), x1: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/**
 * Fake bold: layout software fakes a bold face by drawing the same text twice, a fraction of a point apart, so
 * the text layer carries every character twice. A glyph that repeats the character of an earlier glyph at
 * (almost) the same place is such a copy and is dropped. Real repeats (谢谢, 哈哈哈) stand a whole glyph apart.
 */
export function dropOverprintedCopies(glyphs: readonly Glyph[]): Glyph[] {
  // Copies share their baseline (to a point or so); bucket by character and baseline to compare few glyphs.
  const buckets = new Map<string, Glyph[]>();
  const key = (ch: string, band: number) => `${ch}\u0000${band}`;
  const kept: Glyph[] = [];
  for (const glyph of glyphs) {
    const band = Math.round(glyph.base / BASELINE_BUCKET);
    const width = glyph.x1 - glyph.x0;
    let copy = false;
    for (let b = band - 1; b <= band + 1 && !copy; b += 1) {
      copy = (buckets.get(key(glyph.ch, b)) ?? []).some((other) =>
        Math.abs(other.base - glyph.base) <= SAME_BASELINE * glyph.size &&
        Math.abs(other.size - glyph.size) <= 0.1 * glyph.size &&
        Math.abs(other.x0 - glyph.x0) < DUPLICATE_SHIFT * Math.min(width, other.x1 - other.x0),
      );
    }
    if (copy) continue;
    kept.push(glyph);
    const own = buckets.get(key(glyph.ch, band));
    if (own) own.push(glyph);
    else buckets.set(key(glyph.ch, band), [glyph]);
  }
  return kept;
}

function fragmentOf(glyphs: Glyph[], row: number): Fragment {
  const solid = glyphs.filter((g) => !g.space);
  const measured = solid.length > 0 ? solid : glyphs;
  const sizes = measured.map((g) => g.size).sort((a, b) => a - b);
  return {
    glyphs,
    x0: Math.min(...measured.map((g) => g.x0)),
    x1: Math.max(...measured.map((g) => g.x1)),
    top: Math.min(...measured.map((g) => g.top)),
    bottom: Math.max(...measured.map((g) => g.bottom)),
    base: measured[0]?.base ?? 0,
    size: sizes[Math.floor(sizes.length / 2)] ?? 0,
    row,
  };
}

/** Split one row (glyphs sorted left to right) where a wide gap opens; spaces at the ends of a piece go. */
function splitRow(row: Glyph[], rowNumber: number): Fragment[] {
  const pieces: Glyph[][] = [];
  let current: Glyph[] = [];
  let lastSolid: Glyph | null = null;
  for (const glyph of row) {
    if (!glyph.space && lastSolid && glyph.x0 - lastSolid.x1 > PIECE_GAP * Math.max(glyph.size, lastSolid.size)) {
      pieces.push(current);
      current = [];
    }
    if (glyph.space && current.length === 0) continue;
    current.push(glyph);
    if (!glyph.space) lastSolid = glyph;
  }
  pieces.push(current);
  return pieces
    .map((piece) => {
      let end = piece.length;
      while (end > 0 && piece[end - 1]?.space) end -= 1;
      return piece.slice(0, end);
    })
    .filter((piece) => piece.length > 0)
    .map((piece) => fragmentOf(piece, rowNumber));
}

/** Horizontal glyphs grouped by baseline into rows, each row split at wide gaps into line pieces. */
export function lineFragments(glyphs: readonly Glyph[]): Fragment[] {
  const sorted = [...glyphs].sort((a, b) => a.base - b.base || a.x0 - b.x0);
  const fragments: Fragment[] = [];
  let row: Glyph[] = [];
  let rowBase = 0;
  let rowSize = 0;
  let rowNumber = 0;
  const flush = () => {
    if (row.length === 0) return;
    row.sort((a, b) => a.x0 - b.x0);
    fragments.push(...splitRow(row, rowNumber));
    rowNumber += 1;
    row = [];
  };
  for (const glyph of sorted) {
    if (row.length > 0 && glyph.base - rowBase > 0.35 * Math.max(rowSize, glyph.size)) flush();
    if (row.length === 0) {
      rowBase = glyph.base;
      rowSize = glyph.size;
    }
    row.push(glyph);
  }
  flush();
  return fragments;
}

/** A run not written left to right (rotated, vertical): kept whole as one piece of its own. */
export function runFragment(run: PositionedRun, runIndex: number, row: number): Fragment | null {
  const glyphs = runGlyphs(run, runIndex);
  return glyphs.some((g) => !g.space) ? fragmentOf(glyphs, row) : null;
}
