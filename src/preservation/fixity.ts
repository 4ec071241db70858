import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createArchiveRows } from '../catalogue/archive-rows.ts';
import type { Catalogue } from '../catalogue/index.ts';
import type { OriginalStore } from '../storage/originals.ts';

/** SHA-256 of a file, read as a stream: originals may be hundreds of megabytes. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** An original the catalogue refers to: a document's file or an uploaded story cover. */
export interface HeldOriginal {
  sha256: string;
  /** Who refers to it, for the report: `document 1a2b…` or `story cover slug`. */
  owner: string;
}

export type FixityProblem =
  | { kind: 'missing'; original: HeldOriginal; path: string }
  | { kind: 'mismatch'; original: HeldOriginal; path: string; actual: string };

export interface FixityReport {
  checked: number;
  bytes: number;
  problems: FixityProblem[];
}

/** Every original the catalogue holds, failed and hidden documents included: nothing entrusted is exempt. */
export function heldOriginals(catalogue: Catalogue): HeldOriginal[] {
  const held: HeldOriginal[] = [];
  for (const id of createArchiveRows(catalogue.db).documentIds()) {
    held.push({ sha256: catalogue.documents.get(id)!.sha256, owner: `document ${id}` });
  }
  for (const story of catalogue.stories.list({ visibility: 'all', limit: 1_000_000 })) {
    if (story.cover?.kind === 'upload') held.push({ sha256: story.cover.sha256, owner: `story cover ${story.slug}` });
  }
  return held;
}

/**
 * Recomputes the SHA-256 of every original and compares it with the hash it is stored under (its
 * name and the catalogue's record): a mismatch is a damaged file, a missing one a lost file.
 */
export async function verifyOriginals(
  catalogue: Catalogue,
  originals: OriginalStore,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<FixityReport> {
  const held = heldOriginals(catalogue);
  const report: FixityReport = { checked: 0, bytes: 0, problems: [] };
  for (const [i, original] of held.entries()) {
    const file = originals.pathOf(original.sha256);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      report.problems.push({ kind: 'missing', original, path: file });
      onProgress(i + 1, held.length);
      continue;
    }
    const actual = await sha256OfFile(file);
    if (actual !== original.sha256) report.problems.push({ kind: 'mismatch', original, path: file, actual });
    report.checked++;
    report.bytes += size;
    onProgress(i + 1, held.length);
  }
  return report;
}
