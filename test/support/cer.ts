/**
 * Character error rate for comparing extracted or OCR text with a reference: Levenshtein distance on Unicode
 * code points (a Han character is one unit, never two UTF-16 halves) divided by the reference length.
 */

/** Edit distance (insertions, deletions, substitutions) between two code-point sequences; O(n·m) time, O(m) memory. */
export function editDistance(actual: string, expected: string): number {
  const a = Array.from(actual);
  const b = Array.from(expected);
  let previousRow = Array.from({ length: b.length + 1 }, (_unused, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previousRow[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previousRow[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previousRow = row;
  }
  return previousRow[b.length] as number;
}

/** Levenshtein distance / expected length in code points. An empty reference gives the bare distance (0 if both are empty). */
export function characterErrorRate(actual: string, expected: string): number {
  const expectedLength = Array.from(expected).length;
  const distance = editDistance(actual, expected);
  return expectedLength === 0 ? distance : distance / expectedLength;
}
