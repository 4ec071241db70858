import { createAuditLog } from './audit.ts';
import { createCollectionRepository } from './collections.ts';
import { openCatalogue, type Db } from './database.ts';
import { createDocumentRepository } from './documents.ts';
import { createJobRepository } from './jobs.ts';
import { createPageRepository } from './pages.ts';

/** All repositories over one SQLite handle. */
export function createCatalogue(dataDir: string) {
  const db: Db = openCatalogue(dataDir);
  return {
    db,
    collections: createCollectionRepository(db),
    documents: createDocumentRepository(db),
    pages: createPageRepository(db),
    jobs: createJobRepository(db),
    audit: createAuditLog(db),
    close(): void {
      db.close();
    },
  };
}
export type Catalogue = ReturnType<typeof createCatalogue>;
