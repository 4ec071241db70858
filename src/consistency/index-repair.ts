import type { Catalogue } from '../catalogue/index.ts';
import { parsePageId, type PageSearchDocument } from '../search/index-settings.ts';
import type { SearchEngine } from '../search/meili-client.ts';
import { buildPageSearchDocument } from '../search/page-indexer.ts';
import type { CheckReport } from './index-check.ts';

export interface RepairResult { reindexed: number; removed: number; droppedIndexes: number }

const BATCH = 500;

/**
 * Makes the index agree with the catalogue for every difference of a check: pages missing or stale are
 * indexed again from the catalogue, records that do not belong are deleted, leftover temporary indexes
 * dropped. The catalogue is never changed (beyond marking re-indexed pages as indexed).
 */
export async function repairIndex(catalogue: Catalogue, engine: SearchEngine, report: CheckReport): Promise<RepairResult> {
  const stale = new Map<string, Set<number>>();
  const orphans: string[] = [];
  let droppedIndexes = 0;
  for (const d of report.differences) {
    if (d.kind === 'orphan') orphans.push(d.id);
    else if (d.kind === 'leftover-index') {
      await engine.deleteIndex(d.id);
      droppedIndexes++;
    } else {
      const { documentId, pageNumber } = parsePageId(d.id);
      if (!stale.has(documentId)) stale.set(documentId, new Set());
      stale.get(documentId)!.add(pageNumber);
    }
  }
  for (let i = 0; i < orphans.length; i += BATCH) await engine.deletePages(orphans.slice(i, i + BATCH));

  let reindexed = 0;
  let records: PageSearchDocument[] = [];
  const marks: Array<{ documentId: string; numbers: number[] }> = [];
  const flush = async () => {
    await engine.addPages(records);
    for (const m of marks) catalogue.pages.markIndexed(m.documentId, m.numbers);
    reindexed += records.length;
    records = [];
    marks.length = 0;
  };
  for (const [documentId, numbers] of stale) {
    const doc = catalogue.documents.get(documentId);
    if (!doc) continue;
    const pages = catalogue.pages.listForDocument(documentId).filter((p) => numbers.has(p.number));
    records.push(...pages.map((p) => buildPageSearchDocument(doc, p)));
    marks.push({ documentId, numbers: pages.map((p) => p.number) });
    if (records.length >= BATCH) await flush();
  }
  if (records.length > 0) await flush();
  return { reindexed, removed: orphans.length, droppedIndexes };
}
