/** A catalogue in a temporary directory, for unit tests of the repositories and what reads them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogue, type Catalogue } from '../../src/catalogue/index.ts';

/** Page content of a plain text page (what `pages.save` takes). */
export const pageContent = (text: string) => ({
  text, source: 'text-layer' as const, confidence: null, needsOcr: false, headline: null, dek: null, byline: null,
  captions: [], layout: null, imageWidth: null, imageHeight: null, hasImage: false,
});

/** A fresh catalogue holding one published document `d1`, titled 石炭井; `remove` closes and deletes it. */
export function catalogueWithOneDocument(label: string): { dir: string; catalogue: Catalogue; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wenshi-${label}-`));
  const catalogue = createCatalogue(dir);
  catalogue.documents.insert({
    id: 'd1', sha256: 'a'.repeat(64), originalName: 'a.txt', mediaType: 'text/plain', bytes: 1, collectionId: null,
    metadata: { title: '石炭井' }, published: true, ocrLanguages: 'auto',
  });
  return {
    dir, catalogue,
    remove() {
      catalogue.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
