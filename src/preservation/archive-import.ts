import fs from 'node:fs';
import path from 'node:path';
import type { Archive } from '../archive.ts';
import type { AuditEntry } from '../catalogue/audit.ts';
import { createArchiveRows, type CollectionExport, type StoryRevisionExport } from '../catalogue/archive-rows.ts';
import type { Correction } from '../catalogue/corrections.ts';
import type { StoryRecord } from '../catalogue/stories.ts';
import type { DocumentRecord } from '../catalogue/types.ts';
import { rebuildPagesIndex } from '../search/reindex.ts';
import { sha256Of } from '../storage/originals.ts';
import { rebuildStoriesIndex } from '../stories/story-actions.ts';
import { BAG_LAYOUT_VERSION, pageFileStem, type PageEntry } from './archive-export.ts';
import { validateBag } from './bagit.ts';
import { redrawMissingPageImages, type RedrawResult } from './derived-images.ts';

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(message: string, readonly problems: readonly string[] = []) {
    super(message);
  }
}

export interface ImportSummary { documents: number; pages: number; stories: number; queued: number; images: RedrawResult }

type ExportedDocument = DocumentRecord & { original: string };
type ExportedStory = Omit<StoryRecord, 'body'> & { coverFile: string | null };

/**
 * Restores a bag written by `npm run export` into an empty archive: the bag is validated first (every
 * checksum, nothing missing, nothing extra), each original is checked against the hash its document
 * records, the catalogue is written in one transaction with the exported ids and timestamps, and then
 * the search indexes and page images are made again. Documents that were still being processed when
 * the bag was made are queued, so a server finishes them.
 */
export async function importArchive(archive: Archive, dir: string, onStage: (stage: string) => void = () => {}): Promise<ImportSummary> {
  const { catalogue } = archive;
  onStage('validating the bag');
  const bag = await validateBag(dir);
  if (bag.errors.length > 0) throw new ImportError(`${dir} is not a valid bag (${bag.errors.length} problem${bag.errors.length === 1 ? '' : 's'})`, bag.errors);
  const layout = bag.info.get('Wenshi-Bag-Layout')?.[0];
  if (layout !== BAG_LAYOUT_VERSION) throw new ImportError(`${dir} is not a Wenshi export (bag-info.txt Wenshi-Bag-Layout is ${layout ?? 'absent'}, ${BAG_LAYOUT_VERSION} expected)`);
  const rows = createArchiveRows(catalogue.db);
  if (!rows.isEmpty()) throw new ImportError('the archive is not empty: import into a new DATA_DIR');

  const has = (rel: string) => bag.payload.has(rel);
  const read = (rel: string) => {
    if (!has(rel)) throw new ImportError(`the bag lacks data/${rel}`);
    return fs.readFileSync(path.join(dir, 'data', ...rel.split('/')));
  };
  const readJson = <T>(rel: string): T => JSON.parse(read(rel).toString('utf8')) as T;
  const documentIds = [...bag.payload.keys()].map((rel) => /^documents\/([^/]+)\/document\.json$/.exec(rel)?.[1]).filter((id): id is string => !!id).sort();
  const storySlugs = [...bag.payload.keys()].map((rel) => /^stories\/([^/]+)\/story\.json$/.exec(rel)?.[1]).filter((s): s is string => !!s).sort();

  // Originals first: content-addressed and written once, so an import that stops later leaves only unreferenced files.
  onStage('restoring originals');
  const documents = documentIds.map((id) => readJson<ExportedDocument>(`documents/${id}/document.json`));
  for (const doc of documents) {
    const bytes = read(`documents/${doc.id}/${doc.original}`);
    if (sha256Of(bytes) !== doc.sha256) throw new ImportError(`the original of document ${doc.id} does not match the SHA-256 its record gives`);
    archive.originals.put(bytes);
  }
  const stories = storySlugs.map((slug) => ({ slug, story: readJson<ExportedStory>(`stories/${slug}/story.json`) }));
  for (const { slug, story } of stories) {
    if (story.cover?.kind !== 'upload' || !story.coverFile) continue;
    const bytes = read(`stories/${slug}/${story.coverFile}`);
    if (sha256Of(bytes) !== story.cover.sha256) throw new ImportError(`the cover of story ${slug} does not match its SHA-256`);
    archive.originals.put(bytes);
  }

  onStage('restoring the catalogue');
  const summary: ImportSummary = { documents: 0, pages: 0, stories: 0, queued: 0, images: { drawn: 0, failed: [] } };
  catalogue.db.transaction(() => {
    for (const c of readJson<CollectionExport[]>('collections.json')) rows.restoreCollection(c);
    for (const { original: _o, ...doc } of documents) {
      rows.restoreDocument(doc);
      for (const entry of readJson<PageEntry[]>(`documents/${doc.id}/pages.json`)) {
        const stem = `documents/${doc.id}/pages/${pageFileStem(entry.number)}`;
        const correctedText = has(`${stem}.corrected.txt`) ? read(`${stem}.corrected.txt`).toString('utf8') : null;
        rows.restorePage({ ...entry, documentId: doc.id, text: read(`${stem}.txt`).toString('utf8'), correctedText });
        summary.pages++;
      }
      for (const c of readJson<Array<Omit<Correction, 'id' | 'documentId'>>>(`documents/${doc.id}/corrections.json`)) {
        rows.restoreCorrection({ ...c, documentId: doc.id });
      }
      summary.documents++;
    }
    for (const { slug, story } of stories) {
      const { coverFile: _c, ...record } = story;
      rows.restoreStory({ ...record, body: read(`stories/${slug}/story.md`).toString('utf8') }, readJson<StoryRevisionExport[]>(`stories/${slug}/revisions.json`));
      summary.stories++;
    }
    for (const line of read('audit-log.jsonl').toString('utf8').split('\n')) {
      if (line.trim() !== '') rows.restoreAudit(JSON.parse(line) as AuditEntry);
    }
    for (const doc of documents.filter((d) => d.status === 'processing' && !d.deletedAt)) {
      catalogue.jobs.create(doc.id, doc.originalName);
      summary.queued++;
    }
    catalogue.audit.record('system', 'import', path.basename(path.resolve(dir)),
      `${summary.documents} documents, ${summary.pages} pages, ${summary.stories} stories from a bag of ${bag.info.get('Bagging-Date')?.[0] ?? 'unknown date'}`);
  })();

  onStage('building the search indexes');
  await rebuildPagesIndex(catalogue, archive.engine);
  await rebuildStoriesIndex({ catalogue, engine: archive.engine });
  onStage('drawing page images');
  summary.images = await redrawMissingPageImages({ ...archive, maxImagePixels: archive.config.limits.maxImagePixels });
  return summary;
}
