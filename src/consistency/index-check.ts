import type { Catalogue } from '../catalogue/index.ts';
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { isProcessAlive } from '../search/embedded-meilisearch.ts';
import { pageSearchId, parsePageId } from '../search/index-settings.ts';
import type { IndexedPage, SearchEngine } from '../search/meili-client.ts';
import { buildPageSearchDocument, isIndexable } from '../search/page-indexer.ts';

/**
 * Does the search index agree with the catalogue? The catalogue is the truth: every page of a document
 * that is neither failed nor hidden, and has its text, must be in the index once, with the document's
 * current filters (published, collection, year, type) and a fingerprint of its current text; nothing
 * else may be there. Temporary indexes left by an interrupted rebuild are differences too.
 */
export type DifferenceKind = 'missing' | 'orphan' | 'visibility' | 'metadata' | 'stale-text' | 'leftover-index';

export interface Difference {
  kind: DifferenceKind;
  /** The page record's id (`documentId-pageNumber`), or the uid of a leftover index. */
  id: string;
  detail: string;
}

export interface CheckReport {
  differences: Difference[];
  /** Pages that belong in the index according to the catalogue. */
  expected: number;
  /** Page records in the index. */
  indexed: number;
  /** Pages of documents still being processed: a running job indexes them; not differences. */
  inProgress: number;
  /** Temporary indexes of rebuilds whose process is alive. */
  runningBuilds: string[];
}

/** The record fields compared one by one; the character fields are covered by `textHash`. */
const COMPARED = ['documentId', 'pageNumber', 'collection', 'year', 'yearTo', 'type', 'source'] as const;

/** What the index should hold for a page, without the (costly) character fields: only filters and the text fingerprint are compared. */
function expectedRecord(doc: DocumentRecord, page: PageRecord): IndexedPage {
  const { chars: _chars, branch: _branch, ...record } = buildPageSearchDocument(doc, page, '');
  return record;
}

/** Why a document's pages must not be in the index, or null when they belong there. */
function exclusion(doc: DocumentRecord | null): string | null {
  if (!doc) return 'its document is not in the catalogue';
  if (doc.deletedAt) return 'its document is hidden (deleted)';
  if (doc.status === 'failed') return 'its document failed to import';
  return null;
}

/**
 * Temporary build indexes (`pages_build_<pid>_<time>`, `stories_build_…`) under the archive's prefix, and
 * whether their builder still runs. A build carrying this process's own pid is not running: this
 * process builds nothing while it checks, and in a container the restarted server often gets the pid
 * its predecessor had.
 */
function buildIndexes(uids: string[], prefix: string): Array<{ uid: string; running: boolean }> {
  const pattern = /^(?:pages|stories)_build_(?:(\d+)_)?\d+$/;
  return uids
    .filter((uid) => uid.startsWith(prefix) && pattern.test(uid.slice(prefix.length)))
    .map((uid) => {
      const pid = Number(pattern.exec(uid.slice(prefix.length))![1] ?? 0);
      return { uid, running: pid > 0 && pid !== process.pid && isProcessAlive(pid) };
    });
}

export async function checkIndex(catalogue: Catalogue, engine: SearchEngine, indexPrefix: string): Promise<CheckReport> {
  const differences: Difference[] = [];
  const indexed = new Map<string, IndexedPage>();
  for await (const batch of engine.scanPages()) for (const record of batch) indexed.set(record.id, record);
  const indexedCount = indexed.size;

  const docs = new Map<string, DocumentRecord | null>();
  const documentOf = (id: string) => {
    if (!docs.has(id)) docs.set(id, catalogue.documents.get(id));
    return docs.get(id) ?? null;
  };
  let expected = 0;
  let inProgress = 0;
  // `iterateAll` yields the pages of documents that are neither failed nor hidden.
  for (const batch of catalogue.pages.iterateAll(1000)) {
    for (const page of batch) {
      if (!isIndexable(page)) continue;
      const doc = documentOf(page.documentId)!;
      const id = pageSearchId(doc.id, page.number);
      const record = indexed.get(id);
      indexed.delete(id);
      expected++;
      if (!record) {
        if (doc.status === 'processing') inProgress++;
        else differences.push({ kind: 'missing', id, detail: `page ${page.number} of ${doc.id} is not in the index` });
        continue;
      }
      const want = expectedRecord(doc, page);
      if (record.published !== want.published) {
        differences.push({ kind: 'visibility', id, detail: `the index has published=${record.published}, the catalogue ${want.published}` });
      }
      const changed = COMPARED.filter((field) => record[field] !== want[field]);
      if (changed.length > 0) {
        differences.push({ kind: 'metadata', id, detail: changed.map((f) => `${f}: index ${JSON.stringify(record[f])}, catalogue ${JSON.stringify(want[f])}`).join('; ') });
      }
      if (record.textHash !== want.textHash) {
        differences.push({ kind: 'stale-text', id, detail: record.textHash ? 'the indexed text is not the current text' : 'indexed without a text fingerprint' });
      }
    }
    if (docs.size > 5000) docs.clear();
  }
  // Whatever is left in the index has no page that belongs there.
  for (const record of indexed.values()) {
    const { documentId, pageNumber } = parsePageId(record.id);
    const doc = documentOf(documentId);
    const page = doc ? catalogue.pages.get(documentId, pageNumber) : null;
    const why = exclusion(doc) ?? (!page ? 'the catalogue has no such page' : page.needsOcr ? 'the page is still waiting for OCR' : 'unexpected');
    differences.push({ kind: 'orphan', id: record.id, detail: why });
  }

  const builds = buildIndexes(await engine.listIndexUids(), indexPrefix);
  for (const b of builds.filter((x) => !x.running)) {
    differences.push({ kind: 'leftover-index', id: b.uid, detail: 'a temporary index left by an interrupted rebuild' });
  }
  return { differences, expected, indexed: indexedCount, inProgress, runningBuilds: builds.filter((x) => x.running).map((x) => x.uid) };
}

/** Temporary indexes of rebuilds whose process has died: dropped at start, before anything else uses the index. */
export async function dropAbandonedBuilds(engine: SearchEngine, indexPrefix: string): Promise<string[]> {
  const abandoned = buildIndexes(await engine.listIndexUids(), indexPrefix).filter((b) => !b.running).map((b) => b.uid);
  for (const uid of abandoned) await engine.deleteIndex(uid);
  return abandoned;
}
