import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Archive } from './archive.ts';
import { submitFile } from '../ingest/pipeline.ts';
import { DUBLIN_CORE_FIELDS } from './catalogue/types.ts';
import { DEMO_STORIES_DIR, importDemoStories } from './stories/demo-stories.ts';

export const DEMO_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'demo');

const dcShape = Object.fromEntries(DUBLIN_CORE_FIELDS.map((f) => [f, z.string().optional()])) as Record<(typeof DUBLIN_CORE_FIELDS)[number], z.ZodOptional<z.ZodString>>;

const manifestSchema = z.object({
  collections: z.array(z.object({ slug: z.string(), title: z.string(), description: z.string().optional() })).default([]),
  documents: z.array(z.object({ file: z.string(), collection: z.string().optional(), metadata: z.object(dcShape).partial() })),
});

/**
 * On first start with an empty archive, queue the sample collection from fixtures/demo so a newcomer
 * sees a working archive. Returns how many documents were queued (0 when the archive was not empty).
 */
export async function importDemoIfEmpty(archive: Archive, dir = DEMO_DIR): Promise<number> {
  const { catalogue } = archive;
  if (!archive.config.demo || catalogue.documents.count() > 0) return 0;
  const done = catalogue.db.prepare("SELECT value FROM settings WHERE key = 'demo_imported'").get();
  if (done) return 0;
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
  for (const c of manifest.collections) catalogue.collections.ensure(c.slug, c.title, c.description ?? '');
  let queued = 0;
  const ids = new Map<string, string>();
  for (const entry of manifest.documents) {
    const file = path.join(dir, path.basename(entry.file));
    const outcome = submitFile(fs.readFileSync(file), file, {
      collection: entry.collection, publish: true, metadata: entry.metadata, title: entry.metadata.title, actor: 'demo',
    }, archive);
    if (outcome.status === 'queued') queued++;
    if (outcome.status !== 'rejected') ids.set(path.basename(entry.file), outcome.documentId);
  }
  // The sample stories cite the demo pages by file name; they render once the documents are processed.
  await importDemoStories(archive, DEMO_STORIES_DIR, ids);
  catalogue.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('demo_imported', ?)").run(new Date().toISOString());
  return queued;
}
