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
  space: boolean;
  /** The run it came from (its baseline, size and font): glyphs of different runs meet at exactly known positions. */
  source: PositionedRun;
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
// A gap wider than this (in ems) ends a line piece: column gutters are wider, letter-spacing narrower.
const PIECE_GAP = 1.2;

/** Whether a UTF-16 code unit starts a character set one em wide: CJK, kana, hangul, full-width forms, CJK punctuation. */
function isWide(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1100 && code <= 0x115f) || (code >= 0xa960 && code <= 0xa97f) ||
    code === 0x2014 || code === 0x2026 || code === 0x22ef || (code >= 0x2018 && code <= 0x201d) ||
    (code >= 0xd840 && code <= 0xd8bf) // high surrogates of the supplementary ideographic planes
  );
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f;
}

/** Usual advance of a character in ems, to share a run's advance among its characters. */
export function advanceWeight(ch: string): number {
  const code = ch.charCodeAt(0);
  if (isWide(code)) return 1;
  if (isSpace(code)) return 0.28;
  if (code >= 0x30 && code <= 0x39) return 0.55;
  if ('.,:;\'!|ijlI'.includes(ch)) return 0.28;
  if ('mwMW'.includes(ch)) return 0.85;
  if (code >= 0x41 && code <= 0x5a) return 0.67;
  return 0.52;
}

export function isHorizontal(run: PositionedRun): boolean {
  return !run.vertical && run.dirX > 0 && Math.abs(run.dirY) < 0.05 * run.dirX;
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

/** The characters of a run with their boxes, sharing the advance by usual width. */
export function runGlyphs(run: PositionedRun): Glyph[] {
  const { text } = run;
  // Code points, with a surrogate pair kept together (one glyph, two UTF-16 units).
  const chars: string[] = [];
  let total = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const ch = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? text.slice(i, i + 2) : text[i] as string;
    i += ch.length - 1;
    chars.push(ch);
    total += advanceWeight(ch);
  }
  const perWeight = run.length / (total || 1);
  const upright = isHorizontal(run) && run.dirY === 0;
  const top = run.y - ASCENT * run.size;
  const bottom = run.y + DESCENT * run.size;
  const glyphs: Glyph[] = [];
  let offset = 0;
  for (const ch of chars) {
    const step = perWeight * advanceWeight(ch);
    const space = isSpace(ch.charCodeAt(0));
    if (upright) {
      // The common case, written out: no rotation, so the box is the em box along the baseline.
      glyphs.push({ ch, x0: run.x + offset, x1: run.x + offset + step, top, bottom, space, source: run });
    } else {
      // Along the writing direction from `offset` to `offset + step`; across it, the em box.
      const ax = run.x + run.dirX * offset;
      const ay = run.y + run.dirY * offset;
      const bx = run.x + run.dirX * (offset + step);
      const by = run.y + run.dirY * (offset + step);
      const half = run.size / 2;
      const box = run.vertical
        ? { x0: Math.min(ax, bx) - half, x1: Math.max(ax, bx) + half, top: Math.min(ay, by), bottom: Math.max(ay, by) }
        : orientedBox(ax, ay, bx, by, run);
      glyphs.push({ ch, ...box, space, source: run });
    }
    offset += step;
  }
  return glyphs;
}

/**
 * Fake bold: layout software fakes a bold face by drawing the same text twice, a fraction of a point apart, so
 * the text layer carries every character twice. A glyph that repeats the character of an earlier glyph at
 * (almost) the same place is such a copy and is dropped. Real repeats (谢谢, 哈哈哈) stand a whole glyph apart.
 */
export function dropOverprintedCopies(glyphs: readonly Glyph[]): Glyph[] {
  // In left-to-right order a copy comes right after its original (or one of a few overlapping neighbours).
  const sorted = [...glyphs].sort((a, b) => a.x0 - b.x0);
  const kept: Glyph[] = [];
  for (const glyph of sorted) {
    const { y: base, size } = glyph.source;
    const reach = DUPLICATE_SHIFT * Math.max(glyph.x1 - glyph.x0, size);
    let copy = false;
    for (let k = kept.length - 1; k >= 0; k -= 1) {
      const other = kept[k] as Glyph;
      if (glyph.x0 - other.x0 >= reach) break;
      if (
        other.ch === glyph.ch &&
        Math.abs(other.source.y - base) <= SAME_BASELINE * size &&
        Math.abs(other.source.size - size) <= 0.1 * size &&
        glyph.x0 - other.x0 < DUPLICATE_SHIFT * (other.x1 - other.x0)
      ) {
        copy = true;
        break;
      }
    }
    if (!copy) kept.push(glyph);
  }
  return kept;
}

function fragmentOf(glyphs: Glyph[], row: number): Fragment {
  let x0 = Infinity;
  let x1 = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  let base: number | null = null;
  let sizes: number[] | null = null;
  let size = 0;
  let counted = 0;
  const anySolid = glyphs.some((g) => !g.space);
  for (const g of glyphs) {
    if (anySolid && g.space) continue;
    if (g.x0 < x0) x0 = g.x0;
    if (g.x1 > x1) x1 = g.x1;
    if (g.top < top) top = g.top;
    if (g.bottom > bottom) bottom = g.bottom;
    base ??= g.source.y;
    // Nearly always one size: only a mixed piece needs the median.
    const own = g.source.size;
    if (sizes) sizes.push(own);
    else if (counted === 0) size = own;
    else if (own !== size) sizes = [...Array<number>(counted).fill(size), own];
    counted += 1;
  }
  if (sizes) size = sizes.sort((a, b) => a - b)[Math.floor(sizes.length / 2)] as number;
  return { glyphs, x0, x1, top, bottom, base: base ?? 0, size, row };
}

/** Split one row (glyphs sorted left to right) where a wide gap opens; spaces at the ends of a piece go. */
function splitRow(row: Glyph[], rowNumber: number): Fragment[] {
  const fragments: Fragment[] = [];
  let start = 0;
  let lastSolid = -1;
  const close = () => {
    // From the first solid glyph to the last: spaces at either end carry nothing.
    let from = start;
    while (from <= lastSolid && row[from]?.space) from += 1;
    if (lastSolid >= from) fragments.push(fragmentOf(row.slice(from, lastSolid + 1), rowNumber));
  };
  for (let i = 0; i < row.length; i += 1) {
    const glyph = row[i] as Glyph;
    if (glyph.space) continue;
    const previous = lastSolid >= 0 ? (row[lastSolid] as Glyph) : null;
    if (previous && lastSolid >= start && glyph.x0 - previous.x1 > PIECE_GAP * Math.max(glyph.source.size, previous.source.size)) {
      close();
      start = i;
    }
    lastSolid = i;
  }
  close();
  return fragments;
}

/** A horizontal run with its glyphs. */
export interface PlacedRun {
  run: PositionedRun;
  glyphs: Glyph[];
}

const ROW_TOLERANCE = 0.35;

/**
 * One row's glyphs, left to right. Runs that do not overlap are simply laid end to end (their glyphs are in
 * order already); where runs overlap — text drawn twice — the copies are dropped and the rest sorted.
 */
function rowGlyphs(row: PlacedRun[]): Glyph[] {
  row.sort((a, b) => a.run.x - b.run.x);
  let end = -Infinity;
  let overlapping = false;
  for (const { run } of row) {
    if (run.x < end - 0.1 * run.size) overlapping = true;
    end = Math.max(end, run.x + run.length);
  }
  if (!overlapping) return row.length === 1 ? (row[0] as PlacedRun).glyphs : row.flatMap((placed) => placed.glyphs);
  return dropOverprintedCopies(row.flatMap((placed) => placed.glyphs));
}

/** Horizontal runs grouped by baseline into rows, fake-bold copies dropped, each row split at wide gaps into line pieces. */
export function lineFragments(runs: readonly PlacedRun[]): Fragment[] {
  const sorted = [...runs].sort((a, b) => a.run.y - b.run.y);
  const fragments: Fragment[] = [];
  let row: PlacedRun[] = [];
  let rowNumber = 0;
  const flush = () => {
    if (row.length === 0) return;
    fragments.push(...splitRow(rowGlyphs(row), rowNumber));
    rowNumber += 1;
    row = [];
  };
  for (const placed of sorted) {
    const first = row[0]?.run;
    if (first && placed.run.y - first.y > ROW_TOLERANCE * Math.max(first.size, placed.run.size)) flush();
    row.push(placed);
  }
  flush();
  return fragments;
}

/** A run not written left to right (rotated, vertical): kept whole as one piece of its own. */
export function runFragment(run: PositionedRun, row: number): Fragment | null {
  const glyphs = runGlyphs(run);
  return glyphs.some((g) => !g.space) ? fragmentOf(glyphs, row) : null;
}
