/**
 * How wide a line is compared with its neighbours. Justified columns fill every line but the last of a
 * paragraph, so "clearly shorter than the lines around it" is the most reliable sign of a paragraph end or a
 * heading. Neighbours, not the page: one newspaper page mixes columns 14, 20 and 27 characters wide.
 */

const NEIGHBOURS_EACH_SIDE = 3;

/**
 * Width of a line in ems as printed: a Chinese character or full-width mark is 1, an ASCII character is ½.
 * Counting code points instead would make a line with numbers look longer than a full line without them.
 */
export function visualWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    // A space takes no width of its own; a low surrogate was counted with its high half.
    if (code === 0x20 || (code >= 0xdc00 && code <= 0xdfff)) continue;
    width += code < 0x80 ? 0.5 : 1;
  }
  return width;
}

/**
 * For each line, the widest of the nearest non-blank lines on either side (itself excluded): the column width
 * that line is measured against. Blank lines get 0. Linear in the number of lines.
 */
export function neighbourWidths(lines: readonly string[], widths: readonly number[] = lines.map(visualWidth)): number[] {
  const filled: number[] = [];
  lines.forEach((line, index) => {
    if (line !== '') filled.push(index);
  });
  const result = lines.map(() => 0);
  filled.forEach((lineIndex, position) => {
    let widest = 0;
    const from = Math.max(0, position - NEIGHBOURS_EACH_SIDE);
    const to = Math.min(filled.length - 1, position + NEIGHBOURS_EACH_SIDE);
    for (let k = from; k <= to; k += 1) {
      if (k !== position) widest = Math.max(widest, widths[filled[k] as number] as number);
    }
    result[lineIndex] = widest === 0 ? (widths[lineIndex] as number) : widest;
  });
  return result;
}

/** Whether a line of `width` is at most `ratio` of the width of the lines around it. */
export function isShortLine(width: number, neighbourWidth: number, ratio: number): boolean {
  return neighbourWidth > 0 && width <= ratio * neighbourWidth;
}
