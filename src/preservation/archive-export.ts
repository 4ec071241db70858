import { createArchiveRows } from '../catalogue/archive-rows.ts';
import type { Catalogue } from '../catalogue/index.ts';
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import type { OriginalStore } from '../storage/originals.ts';
import { ACCEPTED_TYPES } from '../../ingest/detect-type.ts';
import { createBag } from './bagit.ts';

/**
 * The archive as a BagIt bag: originals byte for byte, page texts and their corrections as UTF-8 files,
 * metadata as JSON, stories, the audit log. `data/README.txt` (written by `readme` below) describes the
 * layout for whoever opens the bag. Page images, thumbnails and the search index are derived and left
 * out (an import makes them again), as are staff accounts, sessions and tokens.
 */
export const BAG_LAYOUT_VERSION = '1';

export interface ExportSummary { documents: number; pages: number; stories: number; files: number; bytes: number }

/** `0001` — page files sort in page order. */
export const pageFileStem = (n: number) => String(n).padStart(4, '0');

export function extensionFor(mediaType: string): string {
  return ACCEPTED_TYPES.find((t) => t.mediaType === mediaType)?.extensions[0] ?? '.bin';
}

/** What pages.json keeps of a page: everything but its texts, which are files of their own. */
export type PageEntry = Omit<PageRecord, 'documentId' | 'text' | 'correctedText'>;

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

function readme(): Buffer {
  return Buffer.from(
    [
      'Wenshi (文史) archive export, BagIt 1.0.',
      '',
      'collections.json                        every collection',
      'documents/<id>/document.json            the document: Dublin Core metadata, collection, state, SHA-256 of the original, timestamps',
      'documents/<id>/original.<ext>           the original file, byte for byte',
      'documents/<id>/pages.json               per page: source (text-layer or ocr), confidence, headline, dek, byline, captions, character boxes',
      'documents/<id>/pages/NNNN.txt           the page text as extracted or recognised (UTF-8)',
      'documents/<id>/pages/NNNN.corrected.txt the staff correction of the page, when there is one',
      'documents/<id>/corrections.json         every correction saved, with who and when',
      'stories/<slug>/story.json               a story (its Markdown is story.md; earlier versions in revisions.json; cover.<ext> an uploaded cover)',
      'audit-log.jsonl                         the audit log, oldest first',
      '',
      'Page images, thumbnails and the search index are derived from these files and are not included.',
      '',
    ].join('\n'),
    'utf8',
  );
}

function coverExtension(bytes: Buffer): string {
  const found = ACCEPTED_TYPES.find((t) => t.kind === 'image' && t.matches(bytes.subarray(0, 16)));
  return found?.extensions[0] ?? '.bin';
}

/**
 * Writes the whole archive as a bag in `dir` (a new folder). Every original is hashed as it is copied:
 * a damaged original stops the export (run `npm run verify`), so a bag never carries a damaged file
 * under a good checksum.
 */
export async function exportArchive(deps: { catalogue: Catalogue; originals: OriginalStore }, dir: string, now = new Date()): Promise<ExportSummary> {
  const { catalogue, originals } = deps;
  const rows = createArchiveRows(catalogue.db);
  const bag = createBag(dir);
  const summary: ExportSummary = { documents: 0, pages: 0, stories: 0, files: 0, bytes: 0 };
  try {
    bag.addBytes('README.txt', readme());
    bag.addBytes('collections.json', json(rows.collections()));
    for (const id of rows.documentIds()) {
      const doc: DocumentRecord = catalogue.documents.get(id)!;
      const base = `documents/${id}`;
      const original = `original${extensionFor(doc.mediaType)}`;
      bag.addBytes(`${base}/document.json`, json({ ...doc, original }));
      await bag.addFile(`${base}/${original}`, originals.pathOf(doc.sha256), doc.sha256);
      const pages = catalogue.pages.listForDocument(id);
      const entries: PageEntry[] = pages.map(({ documentId: _d, text: _t, correctedText: _c, ...entry }) => entry);
      bag.addBytes(`${base}/pages.json`, json(entries));
      for (const page of pages) {
        bag.addBytes(`${base}/pages/${pageFileStem(page.number)}.txt`, Buffer.from(page.text, 'utf8'));
        if (page.correctedText !== null) bag.addBytes(`${base}/pages/${pageFileStem(page.number)}.corrected.txt`, Buffer.from(page.correctedText, 'utf8'));
      }
      bag.addBytes(`${base}/corrections.json`, json(rows.corrections(id).map(({ id: _i, documentId: _d, ...c }) => c)));
      summary.documents++;
      summary.pages += pages.length;
    }
    for (const story of catalogue.stories.list({ visibility: 'all', limit: 1_000_000 })) {
      const base = `stories/${story.slug}`;
      const { body, ...record } = story;
      let cover: string | null = null;
      if (story.cover?.kind === 'upload') {
        cover = `cover${coverExtension(originals.read(story.cover.sha256))}`;
        await bag.addFile(`${base}/${cover}`, originals.pathOf(story.cover.sha256), story.cover.sha256);
      }
      bag.addBytes(`${base}/story.json`, json({ ...record, coverFile: cover }));
      bag.addBytes(`${base}/story.md`, Buffer.from(body, 'utf8'));
      bag.addBytes(`${base}/revisions.json`, json(rows.storyRevisions(story.id)));
      summary.stories++;
    }
    const audit: string[] = [];
    for (const entry of rows.auditEntries()) audit.push(JSON.stringify(entry));
    bag.addBytes('audit-log.jsonl', Buffer.from(audit.map((l) => `${l}\n`).join(''), 'utf8'));
    const written = bag.finish([
      ['Source-Organization', 'Wenshi (文史) archive'],
      ['Bag-Software-Agent', 'Wenshi npm run export'],
      ['External-Description', 'Originals, page texts with their corrections, Dublin Core metadata as JSON, stories and the audit log of a Wenshi archive.'],
      ['Wenshi-Bag-Layout', BAG_LAYOUT_VERSION],
      ['Wenshi-Documents', String(summary.documents)],
      ['Wenshi-Pages', String(summary.pages)],
      ['Wenshi-Stories', String(summary.stories)],
    ], now);
    summary.files = written.files;
    summary.bytes = written.bytes;
    return summary;
  } catch (error) {
    bag.abandon();
    throw error;
  }
}
